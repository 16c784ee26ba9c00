;; Row loops over a chunk's columns, in WebAssembly so that they run at speed from their first row:
;; a worker runs each of them over a few chunks only, and in JS they ran interpreted until V8 had
;; compiled them (on a busy machine, for most of the chunks). Assembled by wabt (`npm run gen:wasm`)
;; into columns-bytes.ts; steps/kit/wasm/columns.ts loads it and carves its memory into arrays.
(module
  (memory (export "memory") 1)

  ;; Unpacks n values of `width` (1 to 32) bits, packed from the lowest bit up (Parquet's bit-packing),
  ;; from byte src into 32-bit integers at dst. Reads 8 bytes at a time: up to 7 bytes past the last
  ;; value must be readable.
  (func (export "unpack") (param $src i32) (param $width i32) (param $n i32) (param $dst i32)
    (local $bit i64) (local $w i64) (local $mask i64) (local $end i32)
    (local.set $w (i64.extend_i32_u (local.get $width)))
    (local.set $mask (i64.sub (i64.shl (i64.const 1) (local.get $w)) (i64.const 1)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $end)))
        (i32.store (local.get $dst)
          (i32.wrap_i64
            (i64.and
              (i64.shr_u
                (i64.load (i32.add (local.get $src) (i32.wrap_i64 (i64.shr_u (local.get $bit) (i64.const 3)))))
                (i64.and (local.get $bit) (i64.const 7)))
              (local.get $mask))))
        (local.set $bit (i64.add (local.get $bit) (local.get $w)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $next))))

  ;; From row i: each row's group from its key's dictionary entry (table: an i32 per entry, negative
  ;; while the entry has no group), written to slotOf (i32 per row) and counted in counts (f64 per
  ;; group). Returns the first row whose entry has no group yet or lies past the table (rows: none).
  (func (export "entrySlots")
    (param $keys i32) (param $entries i32) (param $table i32) (param $slotOf i32) (param $counts i32) (param $i i32) (param $rows i32)
    (result i32)
    (local $k i32) (local $s i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $k (i32.load (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 2)))))
        (br_if $done (i32.ge_u (local.get $k) (local.get $entries)))
        (local.set $s (i32.load (i32.add (local.get $table) (i32.shl (local.get $k) (i32.const 2)))))
        (br_if $done (i32.lt_s (local.get $s) (i32.const 0)))
        (i32.store (i32.add (local.get $slotOf) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
        (local.set $c (i32.add (local.get $counts) (i32.shl (local.get $s) (i32.const 3))))
        (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (f64.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))

  ;; From row i: each row's value entry (vals: an i32 per row) by its kind (how: a byte per entry, 0
  ;; a small integer in `small`, 1 skipped, 2 added on its own); a small one goes into its group's
  ;; total and count (f64 each, by slotOf). An entry past `entries` is skipped. Returns the first row
  ;; to be added on its own (rows: none).
  (func (export "smallSums")
    (param $vals i32) (param $entries i32) (param $how i32) (param $small i32) (param $slotOf i32) (param $sums i32) (param $counts i32)
    (param $i i32) (param $rows i32)
    (result i32)
    (local $e i32) (local $h i32) (local $s i32) (local $a i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $e (i32.load (i32.add (local.get $vals) (i32.shl (local.get $i) (i32.const 2)))))
        (if (i32.lt_u (local.get $e) (local.get $entries))
          (then
            (local.set $h (i32.load8_u (i32.add (local.get $how) (local.get $e))))
            (br_if $done (i32.eq (local.get $h) (i32.const 2)))
            (if (i32.eqz (local.get $h))
              (then
                (local.set $s (i32.shl (i32.load (i32.add (local.get $slotOf) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))
                (local.set $a (i32.add (local.get $sums) (local.get $s)))
                (f64.store (local.get $a)
                  (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $small) (i32.shl (local.get $e) (i32.const 3))))))
                (local.set $a (i32.add (local.get $counts) (local.get $s)))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.const 1)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $i))
)
