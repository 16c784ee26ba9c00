"""Peer: Pool.map of a square over range(N). Prints the sum, or with `list` the list itself
(the trivial whole-process case: squares of range(100)).
Usage: python3 py_squares.py N [sum|list]
"""
import sys
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == "__main__":
    n = int(sys.argv[1])
    with Pool() as pool:
        squares = pool.map(square, range(n))
    print(squares if len(sys.argv) > 2 and sys.argv[2] == "list" else sum(squares))
