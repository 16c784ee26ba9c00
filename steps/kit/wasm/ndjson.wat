;; The NDJSON columns reader's line scan (steps/source-file/readers/ndjson-columns.ts), in WebAssembly:
;; about four times the speed of the same byte loop in JS here. A block of lines is checked byte by
;; byte against a learned shape (the bytes before each value) and each value is checked to be one
;; JSON scalar as JSON.parse reads it; the wanted values' tokens are written out for JS to intern.
;; Assembled by wabt (`npm run gen:wasm`) into ndjson-bytes.ts; steps/kit/wasm/ndjson.ts loads it.
(module
  (memory (export "memory") 1)

  ;; What the last token was (the flags of ndjson-scan.ts): 1 string, 2 number, 4 word, 8 escaped,
  ;; 16 a byte past 0x7f, 32 fraction or exponent.
  (global $flags (mut i32) (i32.const 0))
  ;; A string of the last scan had a byte past 0x7f: JS checks the block is valid UTF-8.
  (global $high (export "high") (mut i32) (i32.const 0))

  (func $digit (param $c i32) (result i32)
    (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))

  (func $hex (param $c i32) (result i32)
    (i32.or
      (call $digit (local.get $c))
      (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 6))))

  ;; The end of the digits from p (p itself when there are none).
  (func $digits (param $p i32) (param $lim i32) (result i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $lim)))
        (br_if $done (i32.ge_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
    (local.get $p))

  ;; The end of the string whose opening quote is at p - 1, or -1.
  (func $string (param $p i32) (param $lim i32) (result i32)
    (local $c i32) (local $e i32) (local $f i32)
    (local.set $f (i32.const 1))
    (loop $next
      (if (i32.ge_u (local.get $p) (local.get $lim)) (then (return (i32.const -1))))
      (local.set $c (i32.load8_u (local.get $p)))
      (if (i32.eq (local.get $c) (i32.const 34))
        (then
          (global.set $flags (local.get $f))
          (return (i32.add (local.get $p) (i32.const 1)))))
      (if (i32.lt_u (local.get $c) (i32.const 32)) (then (return (i32.const -1))))
      (if (i32.eq (local.get $c) (i32.const 92))
        (then
          (local.set $f (i32.or (local.get $f) (i32.const 8)))
          (if (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $lim)) (then (return (i32.const -1))))
          (local.set $e (i32.load8_u (i32.add (local.get $p) (i32.const 1))))
          (if (i32.eq (local.get $e) (i32.const 117))
            (then
              (if (i32.gt_u (i32.add (local.get $p) (i32.const 6)) (local.get $lim)) (then (return (i32.const -1))))
              (if (i32.eqz
                    (i32.and
                      (i32.and (call $hex (i32.load8_u offset=2 (local.get $p))) (call $hex (i32.load8_u offset=3 (local.get $p))))
                      (i32.and (call $hex (i32.load8_u offset=4 (local.get $p))) (call $hex (i32.load8_u offset=5 (local.get $p))))))
                (then (return (i32.const -1))))
              (local.set $p (i32.add (local.get $p) (i32.const 6)))
              (br $next)))
          ;; " \ / b f n r t
          (if (i32.or
                (i32.or
                  (i32.or (i32.eq (local.get $e) (i32.const 34)) (i32.eq (local.get $e) (i32.const 92)))
                  (i32.or (i32.eq (local.get $e) (i32.const 47)) (i32.eq (local.get $e) (i32.const 98))))
                (i32.or
                  (i32.or (i32.eq (local.get $e) (i32.const 102)) (i32.eq (local.get $e) (i32.const 110)))
                  (i32.or (i32.eq (local.get $e) (i32.const 114)) (i32.eq (local.get $e) (i32.const 116)))))
            (then
              (local.set $p (i32.add (local.get $p) (i32.const 2)))
              (br $next)))
          (return (i32.const -1))))
      (if (i32.gt_u (local.get $c) (i32.const 127))
        (then
          (local.set $f (i32.or (local.get $f) (i32.const 16)))
          (global.set $high (i32.const 1))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))
    (i32.const -1))

  ;; The end of the number at p (JSON's grammar), or -1.
  (func $number (param $p i32) (param $lim i32) (result i32)
    (local $c i32) (local $f i32) (local $q i32)
    (local.set $f (i32.const 2))
    (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 45)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))
    (if (i32.ge_u (local.get $p) (local.get $lim)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 48))
      (then (local.set $p (i32.add (local.get $p) (i32.const 1))))
      (else
        (if (i32.ge_u (i32.sub (local.get $c) (i32.const 49)) (i32.const 9)) (then (return (i32.const -1))))
        (local.set $p (call $digits (i32.add (local.get $p) (i32.const 1)) (local.get $lim)))))
    (if (i32.lt_u (local.get $p) (local.get $lim))
      (then
        (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 46))
          (then
            (local.set $f (i32.const 34))
            (local.set $q (i32.add (local.get $p) (i32.const 1)))
            (local.set $p (call $digits (local.get $q) (local.get $lim)))
            (if (i32.eq (local.get $p) (local.get $q)) (then (return (i32.const -1))))))))
    (if (i32.lt_u (local.get $p) (local.get $lim))
      (then
        (if (i32.eq (i32.or (i32.load8_u (local.get $p)) (i32.const 32)) (i32.const 101))
          (then
            (local.set $f (i32.const 34))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (if (i32.lt_u (local.get $p) (local.get $lim))
              (then
                (local.set $c (i32.load8_u (local.get $p)))
                (if (i32.or (i32.eq (local.get $c) (i32.const 43)) (i32.eq (local.get $c) (i32.const 45)))
                  (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
            (local.set $q (local.get $p))
            (local.set $p (call $digits (local.get $q) (local.get $lim)))
            (if (i32.eq (local.get $p) (local.get $q)) (then (return (i32.const -1))))))))
    (global.set $flags (local.get $f))
    (local.get $p))

  ;; The end of the JSON scalar at p, or -1; $flags says what it was.
  (func $value (param $p i32) (param $lim i32) (result i32)
    (local $c i32)
    (if (i32.ge_u (local.get $p) (local.get $lim)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u (local.get $p)))
    (if (i32.eq (local.get $c) (i32.const 34)) (then (return (call $string (i32.add (local.get $p) (i32.const 1)) (local.get $lim)))))
    (if (i32.or (i32.eq (local.get $c) (i32.const 45)) (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))
      (then (return (call $number (local.get $p) (local.get $lim)))))
    (global.set $flags (i32.const 4))
    ;; true, null, false: four bytes read at once (little-endian), then false's last.
    (if (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $lim)) (then (return (i32.const -1))))
    (local.set $c (i32.load (local.get $p)))
    (if (i32.or (i32.eq (local.get $c) (i32.const 0x65757274)) (i32.eq (local.get $c) (i32.const 0x6c6c756e)))
      (then (return (i32.add (local.get $p) (i32.const 4)))))
    (if (i32.and
          (i32.eq (local.get $c) (i32.const 0x736c6166))
          (i32.lt_u (i32.add (local.get $p) (i32.const 4)) (local.get $lim)))
      (then
        (if (i32.eq (i32.load8_u offset=4 (local.get $p)) (i32.const 101)) (then (return (i32.add (local.get $p) (i32.const 5)))))))
    (i32.const -1))

  ;; FNV-1a of bytes [t, p).
  (func $hash (param $t i32) (param $p i32) (result i32)
    (local $h i32)
    (local.set $h (i32.const 0x811c9dc5))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $t) (local.get $p)))
        (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $t))) (i32.const 0x01000193)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $next)))
    (local.get $h))

  ;; Scans the lines of [in, in + len), split at '\n' (a '\r' before it allowed after the object). A
  ;; line of blanks (9 to 13, 32) is skipped; any other must be the shape: its literal k (bytes of lit
  ;; up to the i32 ends[k]) before value k, for k < keys, and literal `keys` after the last value.
  ;; For a key whose i32 cols[k] is a column c >= 0, row r's token goes to out + (r * width + c) * 16:
  ;; its start and end (from in), its flags and its hash, four i32s. Returns the rows, or -1 at the
  ;; first line that is neither a blank nor of the shape, or past maxRows rows.
  (func (export "scan")
    (param $in i32) (param $len i32) (param $lit i32) (param $ends i32) (param $cols i32) (param $keys i32)
    (param $out i32) (param $width i32) (param $maxRows i32)
    (result i32)
    (local $p i32) (local $lim i32) (local $rows i32) (local $c i32) (local $k i32) (local $s i32)
    (local $e i32) (local $t i32) (local $row i32) (local $o i32)
    (global.set $high (i32.const 0))
    (local.set $p (local.get $in))
    (local.set $lim (i32.add (local.get $in) (local.get $len)))
    (block $end
      (loop $line
        (br_if $end (i32.ge_u (local.get $p) (local.get $lim)))
        (local.set $c (i32.load8_u (local.get $p)))
        (if (i32.ne (local.get $c) (i32.const 123))
          (then
            ;; A blank line, up to its '\n' (or the block's end).
            (loop $blank
              (if (i32.ge_u (local.get $p) (local.get $lim)) (then (br $end)))
              (local.set $c (i32.load8_u (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $line (i32.eq (local.get $c) (i32.const 10)))
              (if (i32.and (i32.ne (local.get $c) (i32.const 32)) (i32.gt_u (i32.sub (local.get $c) (i32.const 9)) (i32.const 4)))
                (then (return (i32.const -1))))
              (br $blank))))
        (if (i32.ge_u (local.get $rows) (local.get $maxRows)) (then (return (i32.const -1))))
        (local.set $row (i32.add (local.get $out) (i32.shl (i32.mul (local.get $rows) (local.get $width)) (i32.const 4))))
        (local.set $s (i32.const 0))
        (local.set $k (i32.const 0))
        (loop $key
          (local.set $e (i32.load (i32.add (local.get $ends) (i32.shl (local.get $k) (i32.const 2)))))
          (if (i32.gt_u (i32.add (local.get $p) (i32.sub (local.get $e) (local.get $s))) (local.get $lim)) (then (return (i32.const -1))))
          ;; The literal, eight bytes at a time, then byte by byte.
          (block $bytes
            (loop $wide
              (br_if $bytes (i32.lt_u (i32.sub (local.get $e) (local.get $s)) (i32.const 8)))
              (if (i64.ne (i64.load (local.get $p)) (i64.load (i32.add (local.get $lit) (local.get $s)))) (then (return (i32.const -1))))
              (local.set $p (i32.add (local.get $p) (i32.const 8)))
              (local.set $s (i32.add (local.get $s) (i32.const 8)))
              (br $wide)))
          (block $matched
            (loop $narrow
              (br_if $matched (i32.ge_u (local.get $s) (local.get $e)))
              (if (i32.ne (i32.load8_u (local.get $p)) (i32.load8_u (i32.add (local.get $lit) (local.get $s)))) (then (return (i32.const -1))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (local.set $s (i32.add (local.get $s) (i32.const 1)))
              (br $narrow)))
          (if (i32.lt_u (local.get $k) (local.get $keys))
            (then
              (local.set $t (local.get $p))
              (local.set $p (call $value (local.get $p) (local.get $lim)))
              (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
              (local.set $c (i32.load (i32.add (local.get $cols) (i32.shl (local.get $k) (i32.const 2)))))
              (if (i32.ge_s (local.get $c) (i32.const 0))
                (then
                  (local.set $o (i32.add (local.get $row) (i32.shl (local.get $c) (i32.const 4))))
                  (i32.store (local.get $o) (i32.sub (local.get $t) (local.get $in)))
                  (i32.store offset=4 (local.get $o) (i32.sub (local.get $p) (local.get $in)))
                  (i32.store offset=8 (local.get $o) (global.get $flags))
                  (i32.store offset=12 (local.get $o) (call $hash (local.get $t) (local.get $p)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br $key))))
        (local.set $rows (i32.add (local.get $rows) (i32.const 1)))
        ;; The line's end: an optional '\r', then '\n' or the block's end.
        (if (i32.lt_u (local.get $p) (local.get $lim))
          (then
            (if (i32.eq (i32.load8_u (local.get $p)) (i32.const 13)) (then (local.set $p (i32.add (local.get $p) (i32.const 1)))))))
        (br_if $end (i32.ge_u (local.get $p) (local.get $lim)))
        (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 10)) (then (return (i32.const -1))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $line)))
    (local.get $rows))
)
