"""Peer: the multiprocessing program users start from. CHUNKS chunks of 1,000,000 seeded random
floats, each averaged in a Pool worker with apply_async, then the mean of the chunk means.
Usage: python3 py_random_mean.py CHUNKS [numpy|random]
  numpy:  numpy.random.default_rng(seed).random(n).mean()   (what a numpy user writes)
  random: the standard library, random.Random(seed) and sum() of random() calls
"""
import sys
from multiprocessing import Pool

N = 1_000_000


def chunk_mean_numpy(seed):
    import numpy as np
    return float(np.random.default_rng(seed).random(N).mean())


def chunk_mean_random(seed):
    import random
    rng = random.Random(seed)
    return sum(rng.random() for _ in range(N)) / N


if __name__ == "__main__":
    chunks = int(sys.argv[1])
    fn = chunk_mean_random if len(sys.argv) > 2 and sys.argv[2] == "random" else chunk_mean_numpy
    with Pool() as pool:
        results = [pool.apply_async(fn, (42 + i,)) for i in range(chunks)]
        means = [r.get() for r in results]
    print(sum(means) / len(means))
