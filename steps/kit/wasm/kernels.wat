;; flow's random generator, in WebAssembly for its native 64-bit integer arithmetic (JS needs 32-bit
;; halves or a BigInt per number): about 8x the JS fill. Assembled by wabt (`npm run gen:wasm`, scripts/gen-wasm.mjs)
;; into kernels-bytes.ts; steps/kit/wasm/kernels.ts loads it.
;;
;; Memory page 0 is a block of 8192 doubles that JS copies numbers out of.
(module
  (memory (export "memory") 1)

  ;; splitmix64: the state just before the next number.
  (global $state (mut i64) (i64.const 0))

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
    global.set $state))
