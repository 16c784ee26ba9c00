;; flow's numeric hot loops, in WebAssembly for its native 64-bit integer arithmetic (JS would need
;; 32-bit halves or a BigInt per number). Assembled by wabt (`npm run gen:wasm`, scripts/gen-wasm.mjs)
;; into kernels-bytes.ts; steps/kit/wasm/kernels.ts loads it.
;;
;; Memory page 0 is a block of 8192 doubles that JS copies numbers out of (fill) or into (addUniform).
(module
  (memory (export "memory") 1)

  ;; splitmix64: the state just before the next number.
  (global $state (mut i64) (i64.const 0))
  ;; The exact sum of the integers k = x * 2^53 added so far: a 128-bit two's complement (hi, lo).
  (global $hi (mut i64) (i64.const 0))
  (global $lo (mut i64) (i64.const 0))
  ;; The bitwise or of those k: non-zero once a non-zero value was added.
  (global $nz (mut i64) (i64.const 0))

  (func (export "seek") (param $s i64)
    local.get $s
    global.set $state)

  ;; Writes the next n (<= 8192) numbers of the generator at byte 0: the number after state s is the
  ;; top 53 bits of splitmix64's finaliser of s + gamma, over 2^53 (see steps/source-random/random.ts).
  (func (export "fill") (param $n i32)
    (local $s i64) (local $z i64) (local $p i32) (local $end i32)
    global.get $state
    local.set $s
    local.get $n
    i32.const 3
    i32.shl
    local.set $end
    block $done
      local.get $n
      i32.eqz
      br_if $done
      loop $next
        local.get $p
        ;; s += gamma
        local.get $s
        i64.const 0x9e3779b97f4a7c15
        i64.add
        local.tee $s
        ;; z = (s ^ (s >> 30)) * 0xbf58476d1ce4e5b9
        local.get $s
        i64.const 30
        i64.shr_u
        i64.xor
        i64.const 0xbf58476d1ce4e5b9
        i64.mul
        local.tee $z
        ;; z = (z ^ (z >> 27)) * 0x94d049bb133111eb
        local.get $z
        i64.const 27
        i64.shr_u
        i64.xor
        i64.const 0x94d049bb133111eb
        i64.mul
        local.tee $z
        ;; z ^= z >> 31; its top 53 bits are below 2^53, so the signed conversion is exact (and
        ;; cheaper than the unsigned one); times 2^-53 is exact too.
        local.get $z
        i64.const 31
        i64.shr_u
        i64.xor
        i64.const 11
        i64.shr_u
        f64.convert_i64_s
        f64.const 0x1p-53
        f64.mul
        f64.store
        local.get $p
        i32.const 8
        i32.add
        local.tee $p
        local.get $end
        i32.lt_u
        br_if $next
      end
    end
    local.get $s
    global.set $state)

  ;; Adds the doubles at indices i, i+1, ... (below n <= 8192) of the block into (hi, lo) while each is
  ;; a multiple of 2^-53 in (-1, 1) (uniform floats are), as the integer k = x * 2^53, exactly.
  ;; Returns the index of the first that is not (NaN included), or n: JS adds that one its own way.
  (func (export "addUniform") (param $i i32) (param $n i32) (result i32)
    (local $k f64) (local $ki i64) (local $acc i64) (local $nz i64) (local $stop i32) (local $lo i64)
    global.get $nz
    local.set $nz
    block $out
      loop $group
        ;; acc sums up to 1024 numerators, |acc| < 2^63; then it goes into (hi, lo) with a carry
        local.get $i
        i32.const 1024
        i32.add
        local.tee $stop
        local.get $n
        local.get $stop
        local.get $n
        i32.lt_u
        select
        local.set $stop
        i64.const 0
        local.set $acc
        block $flush
          loop $next
            local.get $i
            local.get $stop
            i32.ge_u
            br_if $flush
            ;; k = x * 2^53 is exact (a power-of-two scaling); -1 < x < 1 is |k| < 2^53 (false for
            ;; NaN), and k must be an integer; then the conversion to i64 is exact and cannot trap
            local.get $i
            i32.const 3
            i32.shl
            f64.load
            f64.const 0x1p53
            f64.mul
            local.tee $k
            f64.abs
            f64.const 0x1p53
            f64.lt
            i32.eqz
            br_if $flush
            local.get $k
            f64.trunc
            local.get $k
            f64.ne
            br_if $flush
            local.get $k
            i64.trunc_f64_s
            local.set $ki
            local.get $acc
            local.get $ki
            i64.add
            local.set $acc
            local.get $nz
            local.get $ki
            i64.or
            local.set $nz
            local.get $i
            i32.const 1
            i32.add
            local.set $i
            br $next
          end
        end
        ;; (hi, lo) += sign-extended acc: the low words wrap, a carry is a result below the addend
        global.get $lo
        local.get $acc
        i64.add
        local.tee $lo
        local.get $acc
        i64.lt_u
        i64.extend_i32_u
        local.get $acc
        i64.const 63
        i64.shr_s
        i64.add
        global.get $hi
        i64.add
        global.set $hi
        local.get $lo
        global.set $lo
        ;; go on after a full group, stop at a value that is not uniform or at n
        local.get $i
        local.get $stop
        i32.ne
        br_if $out
        local.get $i
        local.get $n
        i32.lt_u
        br_if $group
      end
    end
    local.get $nz
    global.set $nz
    local.get $i)

  ;; Writes the sum as exact doubles at indices 0..3: hi, the high and low 32 bits of lo, and 1 when a
  ;; non-zero value was added (else 0); then starts a new sum. hi stays far below 2^53 (|hi| < 2^53
  ;; would take 2^64 values).
  (func (export "takeSum")
    i32.const 0
    global.get $hi
    f64.convert_i64_s
    f64.store
    i32.const 8
    global.get $lo
    i64.const 32
    i64.shr_u
    f64.convert_i64_s
    f64.store
    i32.const 16
    global.get $lo
    i64.const 0xffffffff
    i64.and
    f64.convert_i64_s
    f64.store
    i32.const 24
    f64.const 0
    f64.const 1
    global.get $nz
    i64.eqz
    select
    f64.store
    i64.const 0
    global.set $hi
    i64.const 0
    global.set $lo
    i64.const 0
    global.set $nz))
