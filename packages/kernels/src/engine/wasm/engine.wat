;; The engine's numerics in WebAssembly SIMD (128-bit): a GEMM on packed B panels with a register-blocked
;; micro-kernel, and the 2-D convolutions (forward, input gradient, filter gradient) on top of it in tiles.
;; The module imports the memory it works on and owns no memory and no data segments: it writes only the
;; outputs and the scratch it is told. Every export but `peak` is a parallel kernel `(task, args, scratch)`
;; (see types.ts): args is the byte address of an argument block of i32 words written by the driver (the
;; layouts are listed at each export and mirrored by the drivers' writers, gemm.ts and conv2d.ts).
;;
;; Blocking: MR x NR = 4 x 8 (eight v128 accumulators, XNNPACK's x86 choice: with the B vectors and a
;; splat it fits x64's 16 xmm registers without spills). B is packed into NR-wide panels, k-major: panel j
;; holds rows 0..K-1 of columns [8j, 8j+8), zero past N. A is read in place with splat loads through a table of MR row addresses and a
;; column stride, so Aᵀ, im2col rows and patch matrices read transposed all go through one micro-kernel.
;;
;; Variants (scripts/assemble-wasm.mjs): the memory import below is rewritten to a shared one for the worker
;; pool, and every `(f32x4.add (f32x4.mul X Y) Z)` of locals to `(f32x4.relaxed_madd X Y Z)` for the FMA
;; variants. Write other additions in a different form.
(module
  (import "env" "memory" (memory 0))

  ;; c[i][0..nr) (+)= v0:v1 for one row of the micro-tile; only the nr columns are touched.
  (func $storeRow (param $c i32) (param $v0 v128) (param $v1 v128) (param $nr i32) (param $add i32)
    (if (i32.eq (local.get $nr) (i32.const 8))
      (then
        (if (local.get $add) (then
          (local.set $v0 (f32x4.add (local.get $v0) (v128.load (local.get $c))))
          (local.set $v1 (f32x4.add (local.get $v1) (v128.load offset=16 (local.get $c))))))
        (v128.store (local.get $c) (local.get $v0))
        (v128.store offset=16 (local.get $c) (local.get $v1))
        (return)))
    (call $storeLanes (local.get $c) (local.get $v0)
      (select (local.get $nr) (i32.const 4) (i32.lt_u (local.get $nr) (i32.const 4))) (local.get $add))
    (if (i32.gt_u (local.get $nr) (i32.const 4))
      (then (call $storeLanes (i32.add (local.get $c) (i32.const 16)) (local.get $v1)
        (i32.sub (local.get $nr) (i32.const 4)) (local.get $add)))))

  ;; The first n (1..4) lanes of v (+)= into c, lane by lane.
  (func $storeLanes (param $c i32) (param $v v128) (param $n i32) (param $add i32)
    (f32.store (local.get $c) (f32.add (f32x4.extract_lane 0 (local.get $v))
      (select (f32.load (local.get $c)) (f32.const 0) (local.get $add))))
    (if (i32.gt_u (local.get $n) (i32.const 1)) (then
      (f32.store offset=4 (local.get $c) (f32.add (f32x4.extract_lane 1 (local.get $v))
        (select (f32.load offset=4 (local.get $c)) (f32.const 0) (local.get $add))))))
    (if (i32.gt_u (local.get $n) (i32.const 2)) (then
      (f32.store offset=8 (local.get $c) (f32.add (f32x4.extract_lane 2 (local.get $v))
        (select (f32.load offset=8 (local.get $c)) (f32.const 0) (local.get $add))))))
    (if (i32.gt_u (local.get $n) (i32.const 3)) (then
      (f32.store offset=12 (local.get $c) (f32.add (f32x4.extract_lane 3 (local.get $v))
        (select (f32.load offset=12 (local.get $c)) (f32.const 0) (local.get $add)))))))

  ;; The micro-kernel: C[mr x nr] (+)= A[mr x kc] . Bpanel[kc x 8]. Row i of A starts at aRows[i] + aOff and
  ;; steps by cs bytes; row i of C starts at cRows[i] + cOff. Rows past mr repeat row 0 (read, never stored):
  ;; aRows must hold MR readable words. kc may be 0 (stores zeros, or adds nothing).
  (func $micro (param $aRows i32) (param $aOff i32) (param $cs i32) (param $b i32) (param $cRows i32)
    (param $cOff i32) (param $kc i32) (param $mr i32) (param $nr i32) (param $add i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $a0 (i32.add (i32.load (local.get $aRows)) (local.get $aOff)))
    (local.set $a1 (select (i32.add (i32.load offset=4 (local.get $aRows)) (local.get $aOff)) (local.get $a0)
      (i32.gt_u (local.get $mr) (i32.const 1))))
    (local.set $a2 (select (i32.add (i32.load offset=8 (local.get $aRows)) (local.get $aOff)) (local.get $a0)
      (i32.gt_u (local.get $mr) (i32.const 2))))
    (local.set $a3 (select (i32.add (i32.load offset=12 (local.get $aRows)) (local.get $aOff)) (local.get $a0)
      (i32.gt_u (local.get $mr) (i32.const 3))))
    (if (local.get $kc) (then (loop $k
      (local.set $b0 (v128.load (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $x (v128.load32_splat (local.get $a0)))
      (local.set $c00 (f32x4.add (f32x4.mul (local.get $x) (local.get $b0)) (local.get $c00)))
      (local.set $c01 (f32x4.add (f32x4.mul (local.get $x) (local.get $b1)) (local.get $c01)))
      (local.set $x (v128.load32_splat (local.get $a1)))
      (local.set $c10 (f32x4.add (f32x4.mul (local.get $x) (local.get $b0)) (local.get $c10)))
      (local.set $c11 (f32x4.add (f32x4.mul (local.get $x) (local.get $b1)) (local.get $c11)))
      (local.set $x (v128.load32_splat (local.get $a2)))
      (local.set $c20 (f32x4.add (f32x4.mul (local.get $x) (local.get $b0)) (local.get $c20)))
      (local.set $c21 (f32x4.add (f32x4.mul (local.get $x) (local.get $b1)) (local.get $c21)))
      (local.set $x (v128.load32_splat (local.get $a3)))
      (local.set $c30 (f32x4.add (f32x4.mul (local.get $x) (local.get $b0)) (local.get $c30)))
      (local.set $c31 (f32x4.add (f32x4.mul (local.get $x) (local.get $b1)) (local.get $c31)))
      (local.set $a0 (i32.add (local.get $a0) (local.get $cs)))
      (local.set $a1 (i32.add (local.get $a1) (local.get $cs)))
      (local.set $a2 (i32.add (local.get $a2) (local.get $cs)))
      (local.set $a3 (i32.add (local.get $a3) (local.get $cs)))
      (local.set $b (i32.add (local.get $b) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))))
    (call $storeRow (i32.add (i32.load (local.get $cRows)) (local.get $cOff))
      (local.get $c00) (local.get $c01) (local.get $nr) (local.get $add))
    (if (i32.gt_u (local.get $mr) (i32.const 1)) (then
      (call $storeRow (i32.add (i32.load offset=4 (local.get $cRows)) (local.get $cOff))
        (local.get $c10) (local.get $c11) (local.get $nr) (local.get $add))))
    (if (i32.gt_u (local.get $mr) (i32.const 2)) (then
      (call $storeRow (i32.add (i32.load offset=8 (local.get $cRows)) (local.get $cOff))
        (local.get $c20) (local.get $c21) (local.get $nr) (local.get $add))))
    (if (i32.gt_u (local.get $mr) (i32.const 3)) (then
      (call $storeRow (i32.add (i32.load offset=12 (local.get $cRows)) (local.get $cOff))
        (local.get $c30) (local.get $c31) (local.get $nr) (local.get $add)))))

  ;; C[rows x cols] (+)= A . B over one k-block: every NR panel from column n0 (a multiple of NR) of the packed
  ;; B (whole panels of K rows, the block starting at row k0), every MR group of the rows in the tables.
  (func $block (param $aRows i32) (param $aOff i32) (param $cs i32) (param $packed i32) (param $K i32)
    (param $k0 i32) (param $kLen i32) (param $cRows i32) (param $n0 i32) (param $rows i32) (param $cols i32)
    (param $add i32)
    (local $j i32) (local $i i32) (local $panel i32)
    (loop $panels
      (local.set $panel (i32.add (local.get $packed) (i32.shl
        (i32.add (i32.mul (i32.shr_u (i32.add (local.get $n0) (local.get $j)) (i32.const 3)) (local.get $K))
          (local.get $k0))
        (i32.const 5))))
      (local.set $i (i32.const 0))
      (loop $groups
        (call $micro (i32.add (local.get $aRows) (i32.shl (local.get $i) (i32.const 2))) (local.get $aOff)
          (local.get $cs) (local.get $panel) (i32.add (local.get $cRows) (i32.shl (local.get $i) (i32.const 2)))
          (i32.shl (i32.add (local.get $n0) (local.get $j)) (i32.const 2)) (local.get $kLen)
          (select (i32.sub (local.get $rows) (local.get $i)) (i32.const 4)
            (i32.lt_u (i32.sub (local.get $rows) (local.get $i)) (i32.const 4)))
          (select (i32.sub (local.get $cols) (local.get $j)) (i32.const 8)
            (i32.lt_u (i32.sub (local.get $cols) (local.get $j)) (i32.const 8)))
          (local.get $add))
        (br_if $groups (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 4))) (local.get $rows))))
      (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $cols)))))

  ;; Packs B into NR panels. Row k of B is at src + k0*s0 + k1*s1 + k2*s2 with k = (k2*n1 + k1)*n0 + k0
  ;; (one level for a plain matrix; three for a convolution filter read flipped and transposed), column n at
  ;; + n*sN (strides in bytes, possibly negative). Task t packs panels [t*per, t*per+per) of batch
  ;; t / tasksPerBatch.
  ;; args: 0 src, 1 dst, 2 K, 3 N, 4 sN, 5 n0, 6 s0, 7 n1, 8 s1, 9 s2, 10 panels per task,
  ;;       11 tasks per batch, 12 src batch stride (bytes), 13 dst batch stride (bytes)
  (func (export "packPanels") (param $task i32) (param $args i32) (param $scratch i32)
    (local $src i32) (local $dst i32) (local $K i32) (local $N i32) (local $sN i32) (local $n0 i32)
    (local $n1 i32) (local $j i32) (local $jEnd i32) (local $k i32) (local $k0 i32) (local $k1 i32)
    (local $k2 i32) (local $row i32) (local $n i32) (local $cols i32) (local $batch i32) (local $per i32)
    (local.set $K (i32.load offset=8 (local.get $args)))
    (local.set $N (i32.load offset=12 (local.get $args)))
    (local.set $sN (i32.load offset=16 (local.get $args)))
    (local.set $n0 (i32.load offset=20 (local.get $args)))
    (local.set $n1 (i32.load offset=28 (local.get $args)))
    (local.set $per (i32.load offset=40 (local.get $args)))
    (local.set $batch (i32.div_u (local.get $task) (i32.load offset=44 (local.get $args))))
    (local.set $j (i32.mul (local.get $per)
      (i32.sub (local.get $task) (i32.mul (local.get $batch) (i32.load offset=44 (local.get $args))))))
    (local.set $jEnd (i32.add (local.get $j) (local.get $per)))
    (if (i32.gt_u (local.get $jEnd) (i32.shr_u (i32.add (local.get $N) (i32.const 7)) (i32.const 3)))
      (then (local.set $jEnd (i32.shr_u (i32.add (local.get $N) (i32.const 7)) (i32.const 3)))))
    (local.set $src (i32.add (i32.load (local.get $args))
      (i32.mul (local.get $batch) (i32.load offset=48 (local.get $args)))))
    (local.set $dst (i32.add (i32.add (i32.load offset=4 (local.get $args))
      (i32.mul (local.get $batch) (i32.load offset=52 (local.get $args))))
      (i32.shl (i32.mul (local.get $j) (local.get $K)) (i32.const 5))))
    (block $done (loop $panels
      (br_if $done (i32.ge_u (local.get $j) (local.get $jEnd)))
      (local.set $cols (i32.sub (local.get $N) (i32.shl (local.get $j) (i32.const 3))))
      (local.set $k (i32.const 0)) (local.set $k0 (i32.const 0)) (local.set $k1 (i32.const 0))
      (local.set $k2 (i32.const 0))
      (block $rowsDone (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $k) (local.get $K)))
        (local.set $row (i32.add (i32.add (i32.add (local.get $src)
          (i32.mul (local.get $k0) (i32.load offset=24 (local.get $args))))
          (i32.mul (local.get $k1) (i32.load offset=32 (local.get $args))))
          (i32.add (i32.mul (local.get $k2) (i32.load offset=36 (local.get $args)))
            (i32.mul (i32.shl (local.get $j) (i32.const 3)) (local.get $sN)))))
        (if (i32.and (i32.eq (local.get $sN) (i32.const 4)) (i32.ge_u (local.get $cols) (i32.const 8)))
          (then
            (v128.store (local.get $dst) (v128.load (local.get $row)))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $row))))
          (else
            (local.set $n (i32.const 0))
            (loop $cols
              (f32.store (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2)))
                (if (result f32) (i32.lt_u (local.get $n) (local.get $cols))
                  (then (f32.load (i32.add (local.get $row) (i32.mul (local.get $n) (local.get $sN)))))
                  (else (f32.const 0))))
              (br_if $cols (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 8))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (if (i32.eq (local.tee $k0 (i32.add (local.get $k0) (i32.const 1))) (local.get $n0)) (then
          (local.set $k0 (i32.const 0))
          (if (i32.eq (local.tee $k1 (i32.add (local.get $k1) (i32.const 1))) (local.get $n1)) (then
            (local.set $k1 (i32.const 0))
            (local.set $k2 (i32.add (local.get $k2) (i32.const 1)))))))
        (br $rows)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $panels))))

  ;; Packs rows [0, rows) x columns [0, cols) (cols <= 8) of B, row r at src + r*sK, column c at + c*sN
  ;; (bytes), into one NR panel at dst (rows x 8 floats, zero past cols).
  (func $packPanel (param $src i32) (param $sK i32) (param $sN i32) (param $rows i32) (param $cols i32)
    (param $dst i32)
    (local $n i32)
    (if (i32.eqz (local.get $rows)) (then (return)))
    (loop $rowLoop
      (if (i32.and (i32.eq (local.get $sN) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
        (then
          (v128.store (local.get $dst) (v128.load (local.get $src)))
          (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src))))
        (else
          (local.set $n (i32.const 0))
          (loop $lanes
            (f32.store (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2)))
              (if (result f32) (i32.lt_u (local.get $n) (local.get $cols))
                (then (f32.load (i32.add (local.get $src) (i32.mul (local.get $n) (local.get $sN)))))
                (else (f32.const 0))))
            (br_if $lanes (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 8))))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
      (local.set $src (i32.add (local.get $src) (local.get $sK)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; C[b] (+)= A[b] . B[b] for one mb x nb tile of one batch over one group of K rows: task t is (batch,
  ;; tile) t mod (batches * m-blocks * n-blocks) of group g = t / that, K rows [g*kGroup, g*kGroup + kGroup),
  ;; its C at C + g * group stride (the group's partial when gemm.ts splits K; one group of all K otherwise).
  ;; k-blocks of kc rows go in order (the first stores unless accumulating), so a tile's result depends on
  ;; the groups only. B is packed up front by packPanels (word 4, all of K) or, with word 21 set, here: a
  ;; k-block and NR panel at a time into scratch from B itself (words 22-25), so that a deep K reads B once,
  ;; in parallel, the panel then used from L1, not a memory-bound pass over all of B before the product.
  ;; args: 0 A, 1 A row stride, 2 A column stride, 3 A batch stride, 4 packed B, 5 packed B batch stride,
  ;;       6 C, 7 C row stride, 8 C batch stride (strides in bytes), 9 M, 10 N, 11 K, 12 mb, 13 nb, 14 kc,
  ;;       15 accumulate (0/1), 16 m-blocks, 17 n-blocks, 18 kGroup, 19 C group stride (bytes),
  ;;       20 batches, 21 pack here (0/1), 22 B, 23 B row stride, 24 B column stride, 25 B batch stride
  ;; scratch: 2 * mb words (the row tables of A and C), then kc * 8 floats (a B panel) when packing here
  (func (export "gemm") (param $task i32) (param $args i32) (param $scratch i32)
    (local $tiles i32) (local $batch i32) (local $tile i32) (local $m0 i32) (local $n0 i32) (local $rows i32)
    (local $cols i32) (local $a i32) (local $c i32) (local $cRows i32) (local $i i32) (local $K i32)
    (local $kc i32) (local $k0 i32) (local $kLen i32) (local $mb i32) (local $nb i32) (local $g i32)
    (local $kEnd i32) (local $add i32) (local $panel i32) (local $j i32) (local $w i32)
    (local.set $tiles (i32.mul (i32.load offset=64 (local.get $args)) (i32.load offset=68 (local.get $args))))
    (local.set $batch (i32.div_u (local.get $task) (local.get $tiles)))
    (local.set $tile (i32.sub (local.get $task) (i32.mul (local.get $batch) (local.get $tiles))))
    (local.set $g (i32.div_u (local.get $batch) (i32.load offset=80 (local.get $args))))
    (local.set $batch (i32.sub (local.get $batch) (i32.mul (local.get $g) (i32.load offset=80 (local.get $args)))))
    (local.set $mb (i32.load offset=48 (local.get $args)))
    (local.set $nb (i32.load offset=52 (local.get $args)))
    (local.set $m0 (i32.mul (local.get $mb) (i32.div_u (local.get $tile) (i32.load offset=68 (local.get $args)))))
    (local.set $n0 (i32.mul (local.get $nb) (i32.rem_u (local.get $tile) (i32.load offset=68 (local.get $args)))))
    (local.set $rows (i32.sub (i32.load offset=36 (local.get $args)) (local.get $m0)))
    (if (i32.gt_u (local.get $rows) (local.get $mb)) (then (local.set $rows (local.get $mb))))
    (local.set $cols (i32.sub (i32.load offset=40 (local.get $args)) (local.get $n0)))
    (if (i32.gt_u (local.get $cols) (local.get $nb)) (then (local.set $cols (local.get $nb))))
    (local.set $a (i32.add (i32.add (i32.load (local.get $args))
      (i32.mul (local.get $batch) (i32.load offset=12 (local.get $args))))
      (i32.mul (local.get $m0) (i32.load offset=4 (local.get $args)))))
    (local.set $c (i32.add (i32.add (i32.load offset=24 (local.get $args))
      (i32.mul (local.get $batch) (i32.load offset=32 (local.get $args))))
      (i32.add (i32.mul (local.get $m0) (i32.load offset=28 (local.get $args)))
        (i32.mul (local.get $g) (i32.load offset=76 (local.get $args))))))
    (local.set $cRows (i32.add (local.get $scratch) (i32.shl (local.get $mb) (i32.const 2))))
    (local.set $panel (i32.add (local.get $cRows) (i32.shl (local.get $mb) (i32.const 2))))
    (loop $table
      (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $a) (i32.mul (local.get $i) (i32.load offset=4 (local.get $args)))))
      (i32.store (i32.add (local.get $cRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $c) (i32.mul (local.get $i) (i32.load offset=28 (local.get $args)))))
      (br_if $table (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows))))
    (local.set $K (i32.load offset=44 (local.get $args)))
    (local.set $kc (i32.load offset=56 (local.get $args)))
    (local.set $k0 (i32.mul (local.get $g) (i32.load offset=72 (local.get $args))))
    (local.set $kEnd (i32.add (local.get $k0) (i32.load offset=72 (local.get $args))))
    (if (i32.gt_u (local.get $kEnd) (local.get $K)) (then (local.set $kEnd (local.get $K))))
    (local.set $add (i32.load offset=60 (local.get $args)))
    (loop $kBlocks
      (local.set $kLen (i32.sub (local.get $kEnd) (local.get $k0)))
      (if (i32.gt_u (local.get $kLen) (local.get $kc)) (then (local.set $kLen (local.get $kc))))
      (if (i32.load offset=84 (local.get $args))
        (then
          (local.set $j (i32.const 0))
          (loop $panels
            (local.set $w (i32.sub (local.get $cols) (local.get $j)))
            (if (i32.gt_u (local.get $w) (i32.const 8)) (then (local.set $w (i32.const 8))))
            (call $packPanel
              (i32.add (i32.add (i32.load offset=88 (local.get $args))
                (i32.mul (local.get $batch) (i32.load offset=100 (local.get $args))))
                (i32.add (i32.mul (local.get $k0) (i32.load offset=92 (local.get $args)))
                  (i32.mul (i32.add (local.get $n0) (local.get $j)) (i32.load offset=96 (local.get $args)))))
              (i32.load offset=92 (local.get $args)) (i32.load offset=96 (local.get $args)) (local.get $kLen)
              (local.get $w) (local.get $panel))
            ;; $block finds panel (n0 + j) / 8 at packed + that * kLen * 32: point it at the one in scratch.
            (call $block (local.get $scratch)
              (i32.mul (local.get $k0) (i32.load offset=8 (local.get $args))) (i32.load offset=8 (local.get $args))
              (i32.sub (local.get $panel) (i32.shl (i32.mul (i32.shr_u (i32.add (local.get $n0) (local.get $j))
                (i32.const 3)) (local.get $kLen)) (i32.const 5)))
              (local.get $kLen) (i32.const 0) (local.get $kLen) (local.get $cRows) (i32.add (local.get $n0) (local.get $j))
              (local.get $rows) (local.get $w) (local.get $add))
            (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $cols)))))
        (else
          (call $block (local.get $scratch)
            (i32.mul (local.get $k0) (i32.load offset=8 (local.get $args))) (i32.load offset=8 (local.get $args))
            (i32.add (i32.load offset=16 (local.get $args)) (i32.mul (local.get $batch) (i32.load offset=20 (local.get $args))))
            (local.get $K) (local.get $k0) (local.get $kLen) (local.get $cRows) (local.get $n0) (local.get $rows)
            (local.get $cols) (local.get $add))))
      (local.set $add (i32.const 1))
      (br_if $kBlocks (i32.lt_u (local.tee $k0 (i32.add (local.get $k0) (local.get $kLen))) (local.get $kEnd)))))

  ;; Convolution geometry (args words 0-14, shared by convGemm and filterGradient): a source image batch
  ;; [batch, srcH, srcW, C] at src, a grid of QH x QW output positions per image, TY x TX taps. Tap (jy, jx)
  ;; of position (qy, qx) reads source pixel (baseY + qy*sqY + jy*sjY, baseX + qx*sqX + jx*sjX), zero outside
  ;; the image. The forward pass: base -pad, sq stride, sj dilation. One phase of the input gradient: the
  ;; source is dy, the positions the input pixels of that phase, the taps the filter taps reaching them in
  ;; decreasing order (sj = dilation / gcd(stride, dilation)).
  ;; words: 0 src, 1 srcH, 2 srcW, 3 C, 4 batch, 5 QH, 6 QW, 7 TY, 8 TX, 9 baseY, 10 sqY, 11 sjY, 12 baseX,
  ;;        13 sqX, 14 sjX

  ;; Writes columns [k0, k1) of the patch rows of positions [p0, p0 + rows) (position p = (b*QH + qy)*QW +
  ;; qx, column k = (jy*TX + jx)*C + c) to dst, rowStride bytes apart. Runs of channels are copied whole; with
  ;; unit tap step along x, a run continues over the taps whose pixels are adjacent in the image.
  (func $patchRows (param $g i32) (param $p0 i32) (param $rows i32) (param $k0 i32) (param $k1 i32)
    (param $dst i32) (param $rowStride i32)
    (local $C i32) (local $srcH i32) (local $srcW i32) (local $QH i32) (local $QW i32) (local $TX i32)
    (local $sjY i32) (local $sjX i32) (local $image i32) (local $b i32) (local $qy i32) (local $qx i32)
    (local $c0 i32) (local $jx0 i32) (local $jy0 i32) (local $tap i32) (local $r i32) (local $rowY i32)
    (local $rowX i32) (local $k i32) (local $c i32) (local $jx i32) (local $jy i32) (local $d i32)
    (local $sy i32) (local $sx i32) (local $taps i32) (local $copy i32) (local $run i32) (local $s i32)
    (if (i32.ge_u (local.get $k0) (local.get $k1)) (then (return)))
    (local.set $srcH (i32.load offset=4 (local.get $g)))
    (local.set $srcW (i32.load offset=8 (local.get $g)))
    (local.set $C (i32.load offset=12 (local.get $g)))
    (local.set $QH (i32.load offset=20 (local.get $g)))
    (local.set $QW (i32.load offset=24 (local.get $g)))
    (local.set $TX (i32.load offset=32 (local.get $g)))
    (local.set $sjY (i32.load offset=44 (local.get $g)))
    (local.set $sjX (i32.load offset=56 (local.get $g)))
    (local.set $tap (i32.div_u (local.get $k0) (local.get $C)))
    (local.set $c0 (i32.sub (local.get $k0) (i32.mul (local.get $tap) (local.get $C))))
    (local.set $jy0 (i32.div_u (local.get $tap) (local.get $TX)))
    (local.set $jx0 (i32.sub (local.get $tap) (i32.mul (local.get $jy0) (local.get $TX))))
    (local.set $qx (i32.rem_u (local.get $p0) (local.get $QW)))
    (local.set $qy (i32.div_u (local.get $p0) (local.get $QW)))
    (local.set $b (i32.div_u (local.get $qy) (local.get $QH)))
    (local.set $qy (i32.sub (local.get $qy) (i32.mul (local.get $b) (local.get $QH))))
    (block $rowsDone (loop $rowLoop
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $image (i32.add (i32.load (local.get $g))
        (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $srcH)) (i32.mul (local.get $srcW) (local.get $C)))
          (i32.const 2))))
      (local.set $rowY (i32.add (i32.load offset=36 (local.get $g))
        (i32.mul (local.get $qy) (i32.load offset=40 (local.get $g)))))
      (local.set $rowX (i32.add (i32.load offset=48 (local.get $g))
        (i32.mul (local.get $qx) (i32.load offset=52 (local.get $g)))))
      (local.set $k (local.get $k0)) (local.set $c (local.get $c0))
      (local.set $jx (local.get $jx0)) (local.set $jy (local.get $jy0))
      (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $rowStride))))
      (loop $runs
        (local.set $sy (i32.add (local.get $rowY) (i32.mul (local.get $jy) (local.get $sjY))))
        (local.set $sx (i32.add (local.get $rowX) (i32.mul (local.get $jx) (local.get $sjX))))
        (local.set $copy (i32.const 0))
        (local.set $taps (i32.const 1))
        (if (i32.lt_u (local.get $sy) (local.get $srcH))
          (then
            (if (i32.lt_u (local.get $sx) (local.get $srcW))
              (then
                (local.set $copy (i32.const 1))
                (if (i32.eq (local.get $sjX) (i32.const 1)) (then
                  (local.set $taps (i32.sub (local.get $TX) (local.get $jx)))
                  (if (i32.lt_s (i32.sub (local.get $srcW) (local.get $sx)) (local.get $taps))
                    (then (local.set $taps (i32.sub (local.get $srcW) (local.get $sx))))))))
              (else (if (i32.eq (local.get $sjX) (i32.const 1)) (then
                (local.set $taps (i32.sub (local.get $TX) (local.get $jx)))
                (if (i32.and (i32.lt_s (local.get $sx) (i32.const 0))
                      (i32.lt_s (i32.sub (i32.const 0) (local.get $sx)) (local.get $taps)))
                  (then (local.set $taps (i32.sub (i32.const 0) (local.get $sx))))))))))
          (else (local.set $taps (i32.sub (local.get $TX) (local.get $jx)))))
        (local.set $run (i32.sub (i32.mul (local.get $taps) (local.get $C)) (local.get $c)))
        (if (i32.gt_u (local.get $run) (i32.sub (local.get $k1) (local.get $k)))
          (then (local.set $run (i32.sub (local.get $k1) (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (local.get $run)))
        (if (local.get $copy)
          (then
            (local.set $s (i32.add (local.get $image) (i32.shl (i32.add (i32.mul (i32.add
              (i32.mul (local.get $sy) (local.get $srcW)) (local.get $sx)) (local.get $C)) (local.get $c))
              (i32.const 2))))
            (block $vecDone (loop $vec
              (br_if $vecDone (i32.lt_u (local.get $run) (i32.const 4)))
              (v128.store (local.get $d) (v128.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (i32.const 16)))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (local.set $run (i32.sub (local.get $run) (i32.const 4)))
              (br $vec)))
            (block $tailDone (loop $tail
              (br_if $tailDone (i32.eqz (local.get $run)))
              (f32.store (local.get $d) (f32.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (i32.const 4)))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (local.set $run (i32.sub (local.get $run) (i32.const 1)))
              (br $tail))))
          (else
            (block $vecDone (loop $vec
              (br_if $vecDone (i32.lt_u (local.get $run) (i32.const 4)))
              (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (local.set $run (i32.sub (local.get $run) (i32.const 4)))
              (br $vec)))
            (block $tailDone (loop $tail
              (br_if $tailDone (i32.eqz (local.get $run)))
              (f32.store (local.get $d) (f32.const 0))
              (local.set $d (i32.add (local.get $d) (i32.const 4)))
              (local.set $run (i32.sub (local.get $run) (i32.const 1)))
              (br $tail)))))
        (local.set $c (i32.const 0))
        (if (i32.ge_u (local.tee $jx (i32.add (local.get $jx) (local.get $taps))) (local.get $TX)) (then
          (local.set $jx (i32.const 0))
          (local.set $jy (i32.add (local.get $jy) (i32.const 1)))))
        (br_if $runs (i32.lt_u (local.get $k) (local.get $k1))))
      (if (i32.eq (local.tee $qx (i32.add (local.get $qx) (i32.const 1))) (local.get $QW)) (then
        (local.set $qx (i32.const 0))
        (if (i32.eq (local.tee $qy (i32.add (local.get $qy) (i32.const 1))) (local.get $QH)) (then
          (local.set $qy (i32.const 0))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rowLoop))))

  ;; out[position] = patch row(position) . filter (the forward pass, or one input-gradient phase) for the mb
  ;; positions [task*mb, ...) of the grid: k-blocks of kc patch columns are written to scratch and multiplied
  ;; by the packed filter (K x N). Output position (b, qy, qx) is the row at out + b*outBatch + qy*outRowY +
  ;; qx*outRowX (bytes), its N channels contiguous.
  ;; args: 0-14 geometry, 15 packed filter, 16 N, 17 out, 18 outRowY, 19 outRowX, 20 outBatch, 21 mb, 22 kc,
  ;;       23 M (positions), 24 K (= TY*TX*C)
  ;; scratch: mb*kc floats (patch), then 2 * mb words (row tables)
  (func (export "convGemm") (param $task i32) (param $args i32) (param $scratch i32)
    (local $mb i32) (local $kc i32) (local $K i32) (local $m0 i32) (local $rows i32) (local $aRows i32)
    (local $cRows i32) (local $i i32) (local $b i32) (local $qy i32) (local $qx i32) (local $QH i32)
    (local $QW i32) (local $k0 i32) (local $kLen i32)
    (local.set $mb (i32.load offset=84 (local.get $args)))
    (local.set $kc (i32.load offset=88 (local.get $args)))
    (local.set $K (i32.load offset=96 (local.get $args)))
    (local.set $QH (i32.load offset=20 (local.get $args)))
    (local.set $QW (i32.load offset=24 (local.get $args)))
    (local.set $m0 (i32.mul (local.get $task) (local.get $mb)))
    (local.set $rows (i32.sub (i32.load offset=92 (local.get $args)) (local.get $m0)))
    (if (i32.gt_u (local.get $rows) (local.get $mb)) (then (local.set $rows (local.get $mb))))
    (local.set $aRows (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $mb) (local.get $kc)) (i32.const 2))))
    (local.set $cRows (i32.add (local.get $aRows) (i32.shl (local.get $mb) (i32.const 2))))
    (local.set $qx (i32.rem_u (local.get $m0) (local.get $QW)))
    (local.set $qy (i32.div_u (local.get $m0) (local.get $QW)))
    (local.set $b (i32.div_u (local.get $qy) (local.get $QH)))
    (local.set $qy (i32.sub (local.get $qy) (i32.mul (local.get $b) (local.get $QH))))
    (loop $table
      (i32.store (i32.add (local.get $aRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $i) (local.get $kc)) (i32.const 2))))
      (i32.store (i32.add (local.get $cRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.add (i32.load offset=68 (local.get $args))
          (i32.mul (local.get $b) (i32.load offset=80 (local.get $args))))
          (i32.add (i32.mul (local.get $qy) (i32.load offset=72 (local.get $args)))
            (i32.mul (local.get $qx) (i32.load offset=76 (local.get $args))))))
      (if (i32.eq (local.tee $qx (i32.add (local.get $qx) (i32.const 1))) (local.get $QW)) (then
        (local.set $qx (i32.const 0))
        (if (i32.eq (local.tee $qy (i32.add (local.get $qy) (i32.const 1))) (local.get $QH)) (then
          (local.set $qy (i32.const 0))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))))))
      (br_if $table (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows))))
    (loop $kBlocks
      (local.set $kLen (i32.sub (local.get $K) (local.get $k0)))
      (if (i32.gt_u (local.get $kLen) (local.get $kc)) (then (local.set $kLen (local.get $kc))))
      (call $patchRows (local.get $args) (local.get $m0) (local.get $rows) (local.get $k0)
        (i32.add (local.get $k0) (local.get $kLen)) (local.get $scratch) (i32.shl (local.get $kc) (i32.const 2)))
      (call $block (local.get $aRows) (i32.const 0) (i32.const 4) (i32.load offset=60 (local.get $args))
        (local.get $K) (local.get $k0) (local.get $kLen) (local.get $cRows) (i32.const 0) (local.get $rows)
        (i32.load offset=64 (local.get $args)) (i32.ne (local.get $k0) (i32.const 0)))
      (br_if $kBlocks (i32.lt_u (local.tee $k0 (i32.add (local.get $k0) (local.get $kLen))) (local.get $K)))))

  ;; One group's share of the filter gradient: partial[g][m, n] = sum over the group's pixel chunks (in
  ;; order) of patch[p, m] . dy[p, n], for the rows [m0, m0 + mBlock) of task t = g * mBlocks + mi. Each chunk
  ;; of Pc pixels is im2col-ed (those columns only) into scratch, each NR-column panel of its dy rows packed
  ;; into scratch, and the micro-kernel reads the patch transposed (row m at patch + 4m, stepping a patch row).
  ;; args: 0-14 geometry (positions: the output pixels), 15 dy, 16 N, 17 partials, 18 partial stride (bytes),
  ;;       19 Pc, 20 chunks per group, 21 P (pixels), 22 mBlock, 23 mBlocks, 24 Kw (= TY*TX*C)
  ;; scratch: Pc*mBlock floats (patch), Pc*8 floats (dy panel), then 2 * mBlock words (row tables)
  (func (export "filterGradient") (param $task i32) (param $args i32) (param $scratch i32)
    (local $g i32) (local $mBlock i32) (local $m0 i32) (local $mLen i32) (local $Pc i32) (local $panel i32)
    (local $aRows i32) (local $cRows i32) (local $out i32) (local $N i32) (local $i i32) (local $chunk i32)
    (local $p0 i32) (local $pLen i32) (local $j i32) (local $cols i32) (local $dy i32) (local $p i32)
    (local $n i32) (local $d i32)
    (local.set $mBlock (i32.load offset=88 (local.get $args)))
    (local.set $g (i32.div_u (local.get $task) (i32.load offset=92 (local.get $args))))
    (local.set $m0 (i32.mul (local.get $mBlock)
      (i32.sub (local.get $task) (i32.mul (local.get $g) (i32.load offset=92 (local.get $args))))))
    (local.set $mLen (i32.sub (i32.load offset=96 (local.get $args)) (local.get $m0)))
    (if (i32.gt_u (local.get $mLen) (local.get $mBlock)) (then (local.set $mLen (local.get $mBlock))))
    (local.set $Pc (i32.load offset=76 (local.get $args)))
    (local.set $N (i32.load offset=64 (local.get $args)))
    (local.set $panel (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $Pc) (local.get $mBlock)) (i32.const 2))))
    (local.set $aRows (i32.add (local.get $panel) (i32.shl (local.get $Pc) (i32.const 5))))
    (local.set $cRows (i32.add (local.get $aRows) (i32.shl (local.get $mBlock) (i32.const 2))))
    (local.set $out (i32.add (i32.load offset=68 (local.get $args))
      (i32.mul (local.get $g) (i32.load offset=72 (local.get $args)))))
    (loop $table
      (i32.store (i32.add (local.get $aRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $scratch) (i32.shl (local.get $i) (i32.const 2))))
      (i32.store (i32.add (local.get $cRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $out) (i32.shl (i32.mul (i32.add (local.get $m0) (local.get $i)) (local.get $N)) (i32.const 2))))
      (br_if $table (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $mLen))))
    (block $chunksDone (loop $chunks
      (br_if $chunksDone (i32.ge_u (local.get $chunk) (i32.load offset=80 (local.get $args))))
      (local.set $p0 (i32.mul (local.get $Pc) (i32.add (local.get $chunk)
        (i32.mul (local.get $g) (i32.load offset=80 (local.get $args))))))
      (br_if $chunksDone (i32.ge_u (local.get $p0) (i32.load offset=84 (local.get $args))))
      (local.set $pLen (i32.sub (i32.load offset=84 (local.get $args)) (local.get $p0)))
      (if (i32.gt_u (local.get $pLen) (local.get $Pc)) (then (local.set $pLen (local.get $Pc))))
      (call $patchRows (local.get $args) (local.get $p0) (local.get $pLen) (local.get $m0)
        (i32.add (local.get $m0) (local.get $mLen)) (local.get $scratch) (i32.shl (local.get $mLen) (i32.const 2)))
      (local.set $j (i32.const 0))
      (loop $panels
        (local.set $cols (i32.sub (local.get $N) (local.get $j)))
        (local.set $dy (i32.add (i32.load offset=60 (local.get $args))
          (i32.shl (i32.add (i32.mul (local.get $p0) (local.get $N)) (local.get $j)) (i32.const 2))))
        (local.set $d (local.get $panel))
        (local.set $p (i32.const 0))
        (loop $pack
          (if (i32.ge_u (local.get $cols) (i32.const 8))
            (then
              (v128.store (local.get $d) (v128.load (local.get $dy)))
              (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $dy))))
            (else
              (local.set $n (i32.const 0))
              (loop $lanes
                (f32.store (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 2)))
                  (if (result f32) (i32.lt_u (local.get $n) (local.get $cols))
                    (then (f32.load (i32.add (local.get $dy) (i32.shl (local.get $n) (i32.const 2)))))
                    (else (f32.const 0))))
                (br_if $lanes (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 8))))))
          (local.set $d (i32.add (local.get $d) (i32.const 32)))
          (local.set $dy (i32.add (local.get $dy) (i32.shl (local.get $N) (i32.const 2))))
          (br_if $pack (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 1))) (local.get $pLen))))
        (call $block (local.get $aRows) (i32.const 0) (i32.shl (local.get $mLen) (i32.const 2))
          (i32.sub (local.get $panel) (i32.shl (i32.mul (i32.shr_u (local.get $j) (i32.const 3)) (local.get $pLen)) (i32.const 5)))
          (local.get $pLen) (i32.const 0) (local.get $pLen) (local.get $cRows) (local.get $j) (local.get $mLen)
          (select (local.get $cols) (i32.const 8) (i32.lt_u (local.get $cols) (i32.const 8)))
          (i32.ne (local.get $chunk) (i32.const 0)))
        (br_if $panels (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $N))))
      (local.set $chunk (i32.add (local.get $chunk) (i32.const 1)))
      (br $chunks))))

  ;; Winograd F(2x2, 3x3) for 3x3, stride-1, dilation-1 convolutions (the forward pass, and the input
  ;; gradient as a forward convolution of dy): 4x4 source tiles, 2 apart, give 2x2 output tiles. A task takes
  ;; the T tiles [task*T, ...) of the grid (b, ty, tx) (TH x TW tiles per image), input-transforms them
  ;; (V = Bt d B: element e of tile i, C channels, at V + (16i + e)*C4 floats, so a tile's stores are
  ;; contiguous) into scratch, multiplies V[e] by the packed transformed filter U[e] (C x N, G g Gt, packed by
  ;; the driver) into M[e] (likewise: M + (16i + e)*N4 floats; the micro-kernel takes the rows through its
  ;; tables), and output-transforms (At M A) each tile into out. Every output element is computed the same
  ;; way whatever T, so the result does not depend on the tiling or the thread count. Tile (b, ty, tx) reads source pixels (baseY + 2ty + r,
  ;; baseX + 2tx + s), r, s < 4 (zero outside the image); out is [batch, QH, QW, N], partial tiles clipped.
  ;; The transforms only add and subtract, so both module variants compute them alike.
  ;; args: 0 src, 1 srcH, 2 srcW, 3 C, 4 packed U, 5 QH, 6 QW, 7 baseY, 8 baseX, 9 packed U stride (bytes),
  ;;       10 N, 11 out, 12 TH, 13 TW, 14 T (a multiple of 4), 15 tiles, 16 C4, 17 N4 (C, N rounded up to 4)
  ;; scratch: 16*T*C4 floats (V), 16*T*N4 floats (M), T words (A rows), T words (C rows), 64 floats (tmp),
  ;;          16 words (a tile's pixel addresses), C4 floats (zeros)

  ;; The first n (1..4, or more: 4) floats at p, zeros in the lanes past n.
  (func $load4 (param $p i32) (param $n i32) (result v128)
    (local $v v128)
    (if (i32.ge_u (local.get $n) (i32.const 4)) (then (return (v128.load (local.get $p)))))
    (local.set $v (v128.load32_zero (local.get $p)))
    (if (i32.gt_u (local.get $n) (i32.const 1))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $p))))))
    (if (i32.gt_u (local.get $n) (i32.const 2))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $p))))))
    (local.get $v))

  ;; Channels [c, c + n) of source pixel (sy, sx) of the image at `image` (zero outside it).
  (func $pixel (param $args i32) (param $image i32) (param $sy i32) (param $sx i32) (param $c i32) (result v128)
    (if (i32.or (i32.ge_u (local.get $sy) (i32.load offset=4 (local.get $args)))
          (i32.ge_u (local.get $sx) (i32.load offset=8 (local.get $args))))
      (then (return (v128.const i32x4 0 0 0 0))))
    (call $load4 (i32.add (local.get $image) (i32.shl (i32.add (i32.mul (i32.add
      (i32.mul (local.get $sy) (i32.load offset=8 (local.get $args))) (local.get $sx))
      (i32.load offset=12 (local.get $args))) (local.get $c)) (i32.const 2)))
      (i32.sub (i32.load offset=12 (local.get $args)) (local.get $c))))

  ;; Bt (a, b, c, d) = (a - c, b + c, c - b, b - d), stored at dst, dst + s, dst + 2s, dst + 3s.
  (func $bt (param $a v128) (param $b v128) (param $c v128) (param $d v128) (param $dst i32) (param $s i32)
    (v128.store (local.get $dst) (f32x4.sub (local.get $a) (local.get $c)))
    (v128.store (local.tee $dst (i32.add (local.get $dst) (local.get $s))) (f32x4.add (local.get $b) (local.get $c)))
    (v128.store (local.tee $dst (i32.add (local.get $dst) (local.get $s))) (f32x4.sub (local.get $c) (local.get $b)))
    (v128.store (i32.add (local.get $dst) (local.get $s)) (f32x4.sub (local.get $b) (local.get $d))))

  ;; The n (1..4, or more: 4) first lanes of v into p.
  (func $store4 (param $p i32) (param $v v128) (param $n i32)
    (if (i32.ge_u (local.get $n) (i32.const 4))
      (then (v128.store (local.get $p) (local.get $v)))
      (else (call $storeLanes (local.get $p) (local.get $v) (local.get $n) (i32.const 0)))))

  (func (export "winograd") (param $task i32) (param $args i32) (param $scratch i32)
    (local $T i32) (local $rows i32) (local $C i32) (local $C4 i32) (local $N i32) (local $N4 i32)
    (local $M i32) (local $aRows i32) (local $cRows i32) (local $tmp i32) (local $i i32) (local $g i32)
    (local $b i32) (local $ty i32) (local $tx i32) (local $y0 i32) (local $x0 i32) (local $image i32)
    (local $c i32) (local $r i32) (local $e i32) (local $k0 i32) (local $kLen i32) (local $EV i32)
    (local $EM i32) (local $p i32) (local $o i32) (local $QW i32) (local $j i32) (local $y i32)
    (local $lastRow i32) (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)
    (local $inside i32) (local $q i32) (local $sy i32) (local $sx i32) (local $tab i32) (local $zeros i32) (local $ps i32) (local $rs i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128) (local $d4 v128) (local $d5 v128) (local $d6 v128) (local $d7 v128) (local $d8 v128) (local $d9 v128) (local $d10 v128) (local $d11 v128) (local $d12 v128) (local $d13 v128) (local $d14 v128) (local $d15 v128)
    (local.set $T (i32.load offset=56 (local.get $args)))
    (local.set $C (i32.load offset=12 (local.get $args)))
    (local.set $C4 (i32.load offset=64 (local.get $args)))
    (local.set $N (i32.load offset=40 (local.get $args)))
    (local.set $N4 (i32.load offset=68 (local.get $args)))
    (local.set $QW (i32.load offset=24 (local.get $args)))
    (local.set $rows (i32.sub (i32.load offset=60 (local.get $args)) (i32.mul (local.get $task) (local.get $T))))
    (if (i32.gt_u (local.get $rows) (local.get $T)) (then (local.set $rows (local.get $T))))
    (local.set $EV (i32.shl (local.get $C4) (i32.const 2)))
    (local.set $EM (i32.shl (local.get $N4) (i32.const 2)))
    (local.set $M (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $T) (local.get $EV)) (i32.const 4))))
    (local.set $aRows (i32.add (local.get $M) (i32.shl (i32.mul (local.get $T) (local.get $EM)) (i32.const 4))))
    (local.set $cRows (i32.add (local.get $aRows) (i32.shl (local.get $T) (i32.const 2))))
    (local.set $tmp (i32.add (local.get $cRows) (i32.shl (local.get $T) (i32.const 2))))
    (local.set $tab (i32.add (local.get $tmp) (i32.const 256)))
    (local.set $zeros (i32.add (local.get $tab) (i32.const 64)))
    (loop $zero
      (v128.store (i32.add (local.get $zeros) (i32.shl (local.get $c) (i32.const 2))) (v128.const i32x4 0 0 0 0))
      (br_if $zero (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 4))) (local.get $C))))
    ;; Input transform, tile by tile, 4 channels at a time: whole quads in registers (the rows of d through
    ;; Bt, then the columns), a last partial quad through tmp (rows into tmp, then its columns into V).
    (loop $tiles
      (local.set $g (i32.add (i32.mul (local.get $task) (local.get $T)) (local.get $i)))
      (local.set $tx (i32.rem_u (local.get $g) (i32.load offset=52 (local.get $args))))
      (local.set $ty (i32.div_u (local.get $g) (i32.load offset=52 (local.get $args))))
      (local.set $b (i32.div_u (local.get $ty) (i32.load offset=48 (local.get $args))))
      (local.set $ty (i32.sub (local.get $ty) (i32.mul (local.get $b) (i32.load offset=48 (local.get $args)))))
      (local.set $y0 (i32.add (i32.load offset=28 (local.get $args)) (i32.shl (local.get $ty) (i32.const 1))))
      (local.set $x0 (i32.add (i32.load offset=32 (local.get $args)) (i32.shl (local.get $tx) (i32.const 1))))
      (local.set $image (i32.add (i32.load (local.get $args)) (i32.shl (i32.mul (i32.mul (local.get $b)
        (i32.load offset=4 (local.get $args))) (i32.mul (i32.load offset=8 (local.get $args)) (local.get $C)))
        (i32.const 2))))
      ;; The tile's 16 pixel addresses (zeros outside the image).
      (local.set $r (i32.const 0))
      (loop $tabRows
        (local.set $sy (i32.add (local.get $y0) (local.get $r)))
        (local.set $j (i32.const 0))
        (loop $tabCols
          (local.set $sx (i32.add (local.get $x0) (local.get $j)))
          (i32.store (i32.add (local.get $tab) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 2)) (local.get $j)) (i32.const 2)))
            (select (i32.add (local.get $image) (i32.shl (i32.mul (i32.add (i32.mul (local.get $sy)
              (i32.load offset=8 (local.get $args))) (local.get $sx)) (local.get $C)) (i32.const 2)))
              (local.get $zeros)
              (i32.and (i32.lt_u (local.get $sy) (i32.load offset=4 (local.get $args)))
                (i32.lt_u (local.get $sx) (i32.load offset=8 (local.get $args))))))
          (br_if $tabCols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 4))))
        (br_if $tabRows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
      (i32.store (i32.add (local.get $aRows) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $i) (i32.shl (local.get $C4) (i32.const 4))) (i32.const 2))))
      (local.set $c (i32.const 0))
      (loop $channels
        (if (i32.ge_u (i32.sub (local.get $C) (local.get $c)) (i32.const 4))
          (then
            (local.set $q (i32.shl (local.get $c) (i32.const 2)))
            (local.set $w0 (v128.load (i32.add (i32.load (local.get $tab)) (local.get $q))))
            (local.set $w1 (v128.load (i32.add (i32.load offset=4 (local.get $tab)) (local.get $q))))
            (local.set $w2 (v128.load (i32.add (i32.load offset=8 (local.get $tab)) (local.get $q))))
            (local.set $w3 (v128.load (i32.add (i32.load offset=12 (local.get $tab)) (local.get $q))))
            (local.set $d0 (f32x4.sub (local.get $w0) (local.get $w2))) (local.set $d1 (f32x4.add (local.get $w1) (local.get $w2)))
            (local.set $d2 (f32x4.sub (local.get $w2) (local.get $w1))) (local.set $d3 (f32x4.sub (local.get $w1) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (i32.load offset=16 (local.get $tab)) (local.get $q))))
            (local.set $w1 (v128.load (i32.add (i32.load offset=20 (local.get $tab)) (local.get $q))))
            (local.set $w2 (v128.load (i32.add (i32.load offset=24 (local.get $tab)) (local.get $q))))
            (local.set $w3 (v128.load (i32.add (i32.load offset=28 (local.get $tab)) (local.get $q))))
            (local.set $d4 (f32x4.sub (local.get $w0) (local.get $w2))) (local.set $d5 (f32x4.add (local.get $w1) (local.get $w2)))
            (local.set $d6 (f32x4.sub (local.get $w2) (local.get $w1))) (local.set $d7 (f32x4.sub (local.get $w1) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (i32.load offset=32 (local.get $tab)) (local.get $q))))
            (local.set $w1 (v128.load (i32.add (i32.load offset=36 (local.get $tab)) (local.get $q))))
            (local.set $w2 (v128.load (i32.add (i32.load offset=40 (local.get $tab)) (local.get $q))))
            (local.set $w3 (v128.load (i32.add (i32.load offset=44 (local.get $tab)) (local.get $q))))
            (local.set $d8 (f32x4.sub (local.get $w0) (local.get $w2))) (local.set $d9 (f32x4.add (local.get $w1) (local.get $w2)))
            (local.set $d10 (f32x4.sub (local.get $w2) (local.get $w1))) (local.set $d11 (f32x4.sub (local.get $w1) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (i32.load offset=48 (local.get $tab)) (local.get $q))))
            (local.set $w1 (v128.load (i32.add (i32.load offset=52 (local.get $tab)) (local.get $q))))
            (local.set $w2 (v128.load (i32.add (i32.load offset=56 (local.get $tab)) (local.get $q))))
            (local.set $w3 (v128.load (i32.add (i32.load offset=60 (local.get $tab)) (local.get $q))))
            (local.set $d12 (f32x4.sub (local.get $w0) (local.get $w2))) (local.set $d13 (f32x4.add (local.get $w1) (local.get $w2)))
            (local.set $d14 (f32x4.sub (local.get $w2) (local.get $w1))) (local.set $d15 (f32x4.sub (local.get $w1) (local.get $w3)))
            (local.set $q (i32.add (local.get $scratch) (i32.shl (i32.add (i32.mul (local.get $i) (i32.shl (local.get $C4) (i32.const 4))) (local.get $c)) (i32.const 2))))
            (v128.store (local.get $q) (f32x4.sub (local.get $d0) (local.get $d8)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 4))) (f32x4.add (local.get $d4) (local.get $d8)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 8))) (f32x4.sub (local.get $d8) (local.get $d4)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 12))) (f32x4.sub (local.get $d4) (local.get $d12)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 1))) (f32x4.sub (local.get $d1) (local.get $d9)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 5))) (f32x4.add (local.get $d5) (local.get $d9)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 9))) (f32x4.sub (local.get $d9) (local.get $d5)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 13))) (f32x4.sub (local.get $d5) (local.get $d13)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 2))) (f32x4.sub (local.get $d2) (local.get $d10)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 6))) (f32x4.add (local.get $d6) (local.get $d10)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 10))) (f32x4.sub (local.get $d10) (local.get $d6)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 14))) (f32x4.sub (local.get $d6) (local.get $d14)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 3))) (f32x4.sub (local.get $d3) (local.get $d11)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 7))) (f32x4.add (local.get $d7) (local.get $d11)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 11))) (f32x4.sub (local.get $d11) (local.get $d7)))
            (v128.store (i32.add (local.get $q) (i32.mul (local.get $EV) (i32.const 15))) (f32x4.sub (local.get $d7) (local.get $d15)))
          )
          (else
            (local.set $r (i32.const 0))
            (loop $dRows
              (call $bt
                (call $pixel (local.get $args) (local.get $image) (i32.add (local.get $y0) (local.get $r))
                  (local.get $x0) (local.get $c))
                (call $pixel (local.get $args) (local.get $image) (i32.add (local.get $y0) (local.get $r))
                  (i32.add (local.get $x0) (i32.const 1)) (local.get $c))
                (call $pixel (local.get $args) (local.get $image) (i32.add (local.get $y0) (local.get $r))
                  (i32.add (local.get $x0) (i32.const 2)) (local.get $c))
                (call $pixel (local.get $args) (local.get $image) (i32.add (local.get $y0) (local.get $r))
                  (i32.add (local.get $x0) (i32.const 3)) (local.get $c))
                (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 6))) (i32.const 16))
              (br_if $dRows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
            (local.set $j (i32.const 0))
            (loop $dCols
              (local.set $p (i32.add (local.get $tmp) (i32.shl (local.get $j) (i32.const 4))))
              (call $bt (v128.load (local.get $p)) (v128.load offset=64 (local.get $p))
                (v128.load offset=128 (local.get $p)) (v128.load offset=192 (local.get $p))
                (i32.add (i32.add (local.get $scratch) (i32.mul (local.get $j) (local.get $EV)))
                  (i32.shl (i32.add (i32.mul (local.get $i) (i32.shl (local.get $C4) (i32.const 4))) (local.get $c)) (i32.const 2)))
                (i32.shl (local.get $EV) (i32.const 2)))
              (br_if $dCols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 4))))))
        (br_if $channels (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 4))) (local.get $C))))
      (br_if $tiles (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows))))
    ;; The 16 products M[e] = V[e] . U[e], in k-blocks of 256 channels.
    (loop $products
      (local.set $i (i32.const 0))
      (loop $table
        (i32.store (i32.add (local.get $cRows) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (i32.add (local.get $M) (i32.mul (local.get $e) (local.get $EM)))
            (i32.shl (i32.mul (local.get $i) (i32.shl (local.get $N4) (i32.const 4))) (i32.const 2))))
        (br_if $table (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows))))
      (local.set $k0 (i32.const 0))
      (loop $kBlocks
        (local.set $kLen (i32.sub (local.get $C) (local.get $k0)))
        (if (i32.gt_u (local.get $kLen) (i32.const 256)) (then (local.set $kLen (i32.const 256))))
        (call $block (local.get $aRows)
          (i32.add (i32.mul (local.get $e) (local.get $EV)) (i32.shl (local.get $k0) (i32.const 2))) (i32.const 4)
          (i32.add (i32.load offset=16 (local.get $args)) (i32.mul (local.get $e) (i32.load offset=36 (local.get $args))))
          (local.get $C) (local.get $k0) (local.get $kLen) (local.get $cRows) (i32.const 0) (local.get $rows)
          (local.get $N) (i32.ne (local.get $k0) (i32.const 0)))
        (br_if $kBlocks (i32.lt_u (local.tee $k0 (i32.add (local.get $k0) (local.get $kLen))) (local.get $C))))
      (br_if $products (i32.lt_u (local.tee $e (i32.add (local.get $e) (i32.const 1))) (i32.const 16))))
    (local.set $ps (i32.shl (local.get $N) (i32.const 2)))
    (local.set $rs (i32.mul (local.get $ps) (local.get $QW)))
    ;; Output transform, tile by tile, 4 channels at a time: whole tiles and quads in registers, partial ones
    ;; (rows of M through At into tmp, then its columns) into the tile's up to 2 x 2 output pixels.
    (local.set $i (i32.const 0))
    (loop $outTiles
      (local.set $g (i32.add (i32.mul (local.get $task) (local.get $T)) (local.get $i)))
      (local.set $tx (i32.rem_u (local.get $g) (i32.load offset=52 (local.get $args))))
      (local.set $ty (i32.div_u (local.get $g) (i32.load offset=52 (local.get $args))))
      (local.set $b (i32.div_u (local.get $ty) (i32.load offset=48 (local.get $args))))
      (local.set $ty (i32.sub (local.get $ty) (i32.mul (local.get $b) (i32.load offset=48 (local.get $args)))))
      (local.set $y (i32.add (i32.load offset=44 (local.get $args)) (i32.shl (i32.mul (i32.add (i32.mul
        (i32.add (i32.mul (local.get $b) (i32.load offset=20 (local.get $args))) (i32.shl (local.get $ty) (i32.const 1)))
        (local.get $QW)) (i32.shl (local.get $tx) (i32.const 1))) (local.get $N)) (i32.const 2))))
      (local.set $lastRow (i32.lt_u (i32.add (i32.shl (local.get $ty) (i32.const 1)) (i32.const 1))
        (i32.load offset=20 (local.get $args))))
      (local.set $inside (i32.and (local.get $lastRow)
        (i32.lt_u (i32.add (i32.shl (local.get $tx) (i32.const 1)) (i32.const 1)) (local.get $QW))))
      (local.set $o (i32.const 0))
      (loop $outChannels
        (if (i32.and (local.get $inside) (i32.ge_u (i32.sub (local.get $N) (local.get $o)) (i32.const 4)))
          (then
            (local.set $q (i32.add (local.get $M) (i32.shl (i32.add (i32.mul (local.get $i) (i32.shl (local.get $N4) (i32.const 4))) (local.get $o)) (i32.const 2))))
            (local.set $w0 (v128.load (local.get $q)))
            (local.set $w1 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 1)))))
            (local.set $w2 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 2)))))
            (local.set $w3 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 3)))))
            (local.set $d0 (f32x4.add (f32x4.add (local.get $w0) (local.get $w1)) (local.get $w2)))
            (local.set $d1 (f32x4.sub (f32x4.sub (local.get $w1) (local.get $w2)) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 4)))))
            (local.set $w1 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 5)))))
            (local.set $w2 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 6)))))
            (local.set $w3 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 7)))))
            (local.set $d2 (f32x4.add (f32x4.add (local.get $w0) (local.get $w1)) (local.get $w2)))
            (local.set $d3 (f32x4.sub (f32x4.sub (local.get $w1) (local.get $w2)) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 8)))))
            (local.set $w1 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 9)))))
            (local.set $w2 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 10)))))
            (local.set $w3 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 11)))))
            (local.set $d4 (f32x4.add (f32x4.add (local.get $w0) (local.get $w1)) (local.get $w2)))
            (local.set $d5 (f32x4.sub (f32x4.sub (local.get $w1) (local.get $w2)) (local.get $w3)))
            (local.set $w0 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 12)))))
            (local.set $w1 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 13)))))
            (local.set $w2 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 14)))))
            (local.set $w3 (v128.load (i32.add (local.get $q) (i32.mul (local.get $EM) (i32.const 15)))))
            (local.set $d6 (f32x4.add (f32x4.add (local.get $w0) (local.get $w1)) (local.get $w2)))
            (local.set $d7 (f32x4.sub (f32x4.sub (local.get $w1) (local.get $w2)) (local.get $w3)))
            (local.set $q (i32.add (local.get $y) (i32.shl (local.get $o) (i32.const 2))))
            (v128.store (local.get $q) (f32x4.add (f32x4.add (local.get $d0) (local.get $d2)) (local.get $d4)))
            (v128.store (i32.add (local.get $q) (local.get $rs)) (f32x4.sub (f32x4.sub (local.get $d2) (local.get $d4)) (local.get $d6)))
            (v128.store (i32.add (local.get $q) (local.get $ps)) (f32x4.add (f32x4.add (local.get $d1) (local.get $d3)) (local.get $d5)))
            (v128.store (i32.add (i32.add (local.get $q) (local.get $ps)) (local.get $rs)) (f32x4.sub (f32x4.sub (local.get $d3) (local.get $d5)) (local.get $d7)))
          )
          (else
            (local.set $r (i32.const 0))
            (loop $mRows
              (local.set $p (i32.add (i32.add (local.get $M) (i32.mul (i32.shl (local.get $r) (i32.const 2)) (local.get $EM)))
                (i32.shl (i32.add (i32.mul (local.get $i) (i32.shl (local.get $N4) (i32.const 4))) (local.get $o)) (i32.const 2))))
              (local.set $m0 (v128.load (local.get $p)))
              (local.set $m1 (v128.load (local.tee $p (i32.add (local.get $p) (local.get $EM)))))
              (local.set $m2 (v128.load (local.tee $p (i32.add (local.get $p) (local.get $EM)))))
              (local.set $m3 (v128.load (i32.add (local.get $p) (local.get $EM))))
              (v128.store (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 5)))
                (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2)))
              (v128.store offset=16 (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 5)))
                (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3)))
              (br_if $mRows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))
            (local.set $j (i32.const 0))
            (loop $yCols
              (local.set $p (i32.add (local.get $tmp) (i32.shl (local.get $j) (i32.const 4))))
              (local.set $m0 (v128.load (local.get $p)))
              (local.set $m1 (v128.load offset=32 (local.get $p)))
              (local.set $m2 (v128.load offset=64 (local.get $p)))
              (local.set $m3 (v128.load offset=96 (local.get $p)))
              (local.set $p (i32.add (local.get $y) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $N))
                (local.get $o)) (i32.const 2))))
              (call $store4 (local.get $p) (f32x4.add (f32x4.add (local.get $m0) (local.get $m1)) (local.get $m2))
                (i32.sub (local.get $N) (local.get $o)))
              (if (local.get $lastRow) (then
                (call $store4 (i32.add (local.get $p) (i32.shl (i32.mul (local.get $QW) (local.get $N)) (i32.const 2)))
                  (f32x4.sub (f32x4.sub (local.get $m1) (local.get $m2)) (local.get $m3))
                  (i32.sub (local.get $N) (local.get $o)))))
              (br_if $yCols (i32.and
                (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (i32.const 2))
                (i32.lt_u (i32.add (i32.shl (local.get $tx) (i32.const 1)) (local.get $j)) (local.get $QW)))))))
        (br_if $outChannels (i32.lt_u (local.tee $o (i32.add (local.get $o) (i32.const 4))) (local.get $N))))
      (br_if $outTiles (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $rows)))))

  ;; The filter gradient of a thin 1x1 convolution (from or to a few channels, where the GEMM's 4 x 8 tiles are
  ;; mostly padding): partial[task][i][0..n) = sum over the rows p in [task*R, min(M, task*R + R)) of
  ;; A[p][i] . B[p][0..n), the rows in order, even and odd rows in two sums added at the end (two dependency
  ;; chains). R is a constant of the driver (never the thread count), which adds the partials in task order
  ;; (sumPartials), or R covers all rows and the one partial is the result.
  ;; args: 0 A, 1 A row stride, 2 B, 3 B row stride (bytes), 4 n, 5 k, 6 partials, 7 partial stride (bytes),
  ;;       8 M, 9 R
  (func (export "pointwiseFilter") (param $task i32) (param $args i32) (param $scratch i32)
    (local $first i32) (local $end i32) (local $n i32) (local $k i32) (local $sa i32) (local $sb i32)
    (local $i i32) (local $j i32) (local $left i32) (local $p i32) (local $a i32) (local $b i32)
    (local $acc0 v128) (local $acc1 v128) (local $x v128) (local $y v128)
    (local.set $n (i32.load offset=16 (local.get $args)))
    (local.set $k (i32.load offset=20 (local.get $args)))
    (local.set $sa (i32.load offset=4 (local.get $args)))
    (local.set $sb (i32.load offset=12 (local.get $args)))
    (local.set $first (i32.mul (local.get $task) (i32.load offset=36 (local.get $args))))
    (local.set $end (i32.add (local.get $first) (i32.load offset=36 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=32 (local.get $args)))
      (then (local.set $end (i32.load offset=32 (local.get $args)))))
    (local.set $i (i32.const 0))
    (block $iDone (loop $iLoop
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $k)))
      (local.set $j (i32.const 0))
      (block $jDone (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $left (i32.sub (local.get $n) (local.get $j)))
        (local.set $acc0 (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $first))
        (local.set $a (i32.add (i32.add (i32.load (local.get $args)) (i32.mul (local.get $p) (local.get $sa)))
          (i32.shl (local.get $i) (i32.const 2))))
        (local.set $b (i32.add (i32.add (i32.load offset=8 (local.get $args)) (i32.mul (local.get $p) (local.get $sb)))
          (i32.shl (local.get $j) (i32.const 2))))
        (block $pairsDone (loop $pairs
          (br_if $pairsDone (i32.ge_u (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
          (local.set $x (v128.load32_splat (local.get $a)))
          (local.set $y (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
            (then (v128.load (local.get $b))) (else (call $load4 (local.get $b) (local.get $left)))))
          (local.set $acc0 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc0)))
          (local.set $x (v128.load32_splat (i32.add (local.get $a) (local.get $sa))))
          (local.set $y (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
            (then (v128.load (i32.add (local.get $b) (local.get $sb))))
            (else (call $load4 (i32.add (local.get $b) (local.get $sb)) (local.get $left)))))
          (local.set $acc1 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc1)))
          (local.set $a (i32.add (local.get $a) (i32.shl (local.get $sa) (i32.const 1))))
          (local.set $b (i32.add (local.get $b) (i32.shl (local.get $sb) (i32.const 1))))
          (local.set $p (i32.add (local.get $p) (i32.const 2)))
          (br $pairs)))
        (if (i32.lt_u (local.get $p) (local.get $end)) (then
          (local.set $x (v128.load32_splat (local.get $a)))
          (local.set $y (call $load4 (local.get $b) (local.get $left)))
          (local.set $acc0 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc0)))))
        (call $store4
          (i32.add (i32.add (i32.load offset=24 (local.get $args))
            (i32.mul (local.get $task) (i32.load offset=28 (local.get $args))))
            (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2)))
          (f32x4.add (local.get $acc0) (local.get $acc1)) (local.get $left))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iLoop))))

  ;; Depthwise convolutions (channel multiplier 1: filter [KH, KW, C]) have no product to tile: each channel
  ;; is its own 2-D convolution, a few multiply-adds per element. Both gradients go a row of the grid and a
  ;; tap at a time, where the tap's pixels are a strided run (stride sw*C floats) and the channels a SIMD row.
  ;; args (both): 0 H, 1 W, 2 C, 3 OH, 4 OW, 5 KH, 6 KW, 7 sh, 8 sw, 9 dh, 10 dw, 11 padTop, 12 padLeft,
  ;;              13 R (grid rows per task), 14 rows, 15 x | dy, 16 dy | filter, 17 out, 18 partial stride

  ;; acc[0..C) += sum over i in [0, n) of a[i][0..C) * b[i][0..C), row i of a at a + i*sa bytes (b: sb): 16
  ;; channels at a time in four sums (four dependency chains), then 4 at a time with even and odd i in two.
  (func $rowsDot (param $acc i32) (param $a i32) (param $sa i32) (param $b i32) (param $sb i32) (param $n i32)
    (param $C i32)
    (local $c i32) (local $left i32) (local $i i32) (local $pa i32) (local $pb i32)
    (local $acc0 v128) (local $acc1 v128) (local $x v128) (local $y v128)
    (local $acc2 v128) (local $acc3 v128)
    ;; 16 channels at a time (four sums, one pointer step for all), then 4 with even and odd i apart.
    (block $wideDone (loop $wide
      (br_if $wideDone (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $C)))
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $acc1 (v128.const i32x4 0 0 0 0))
      (local.set $acc2 (v128.const i32x4 0 0 0 0))
      (local.set $acc3 (v128.const i32x4 0 0 0 0))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $i (local.get $n))
      (loop $pixels
        (local.set $x (v128.load (local.get $pa)))
        (local.set $y (v128.load (local.get $pb)))
        (local.set $acc0 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc0)))
        (local.set $x (v128.load offset=16 (local.get $pa)))
        (local.set $y (v128.load offset=16 (local.get $pb)))
        (local.set $acc1 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc1)))
        (local.set $x (v128.load offset=32 (local.get $pa)))
        (local.set $y (v128.load offset=32 (local.get $pb)))
        (local.set $acc2 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc2)))
        (local.set $x (v128.load offset=48 (local.get $pa)))
        (local.set $y (v128.load offset=48 (local.get $pb)))
        (local.set $acc3 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc3)))
        (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
        (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
        (br_if $pixels (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
      (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 2))))
      (v128.store (local.get $pa) (f32x4.add (v128.load (local.get $pa)) (local.get $acc0)))
      (v128.store offset=16 (local.get $pa) (f32x4.add (v128.load offset=16 (local.get $pa)) (local.get $acc1)))
      (v128.store offset=32 (local.get $pa) (f32x4.add (v128.load offset=32 (local.get $pa)) (local.get $acc2)))
      (v128.store offset=48 (local.get $pa) (f32x4.add (v128.load offset=48 (local.get $pa)) (local.get $acc3)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $wide)))
    (block $done (loop $channels
      (br_if $done (i32.ge_u (local.get $c) (local.get $C)))
      (local.set $left (i32.sub (local.get $C) (local.get $c)))
      (local.set $acc0 (v128.const i32x4 0 0 0 0))
      (local.set $acc1 (v128.const i32x4 0 0 0 0))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $i (i32.const 1))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pa)))
          (else (call $load4 (local.get $pa) (local.get $left)))))
        (local.set $y (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pb)))
          (else (call $load4 (local.get $pb) (local.get $left)))))
        (local.set $acc0 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc0)))
        (local.set $x (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (i32.add (local.get $pa) (local.get $sa))))
          (else (call $load4 (i32.add (local.get $pa) (local.get $sa)) (local.get $left)))))
        (local.set $y (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (i32.add (local.get $pb) (local.get $sb))))
          (else (call $load4 (i32.add (local.get $pb) (local.get $sb)) (local.get $left)))))
        (local.set $acc1 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc1)))
        (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $sa) (i32.const 1))))
        (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $sb) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs)))
      (if (i32.eq (local.get $i) (local.get $n)) (then
        (local.set $x (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pa)))
          (else (call $load4 (local.get $pa) (local.get $left)))))
        (local.set $y (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pb)))
          (else (call $load4 (local.get $pb) (local.get $left)))))
        (local.set $acc0 (f32x4.add (f32x4.mul (local.get $x) (local.get $y)) (local.get $acc0)))))
      (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $c) (i32.const 2))))
      (call $store4 (local.get $pa)
        (f32x4.add (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pa)))
          (else (call $load4 (local.get $pa) (local.get $left)))) (f32x4.add (local.get $acc0) (local.get $acc1)))
        (local.get $left))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $channels))))

  ;; out[i][0..C) += a[i][0..C) * w[0..C) for i in [0, n), row i of out at out + i*so bytes (a: sa).
  (func $rowsAxpy (param $out i32) (param $so i32) (param $a i32) (param $sa i32) (param $w i32) (param $n i32)
    (param $C i32)
    (local $c i32) (local $left i32) (local $i i32) (local $po i32) (local $pa i32)
    (local $wv v128) (local $x v128) (local $o v128)
    (local $w1 v128) (local $w2 v128) (local $w3 v128)
    ;; 16 channels at a time (four vectors, one pointer step for all), then 4, the last block partial.
    (block $wideDone (loop $wide
      (br_if $wideDone (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $C)))
      (local.set $pa (i32.add (local.get $w) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $wv (v128.load (local.get $pa)))
      (local.set $w1 (v128.load offset=16 (local.get $pa)))
      (local.set $w2 (v128.load offset=32 (local.get $pa)))
      (local.set $w3 (v128.load offset=48 (local.get $pa)))
      (local.set $po (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $i (local.get $n))
      (loop $pixels
        (local.set $x (v128.load (local.get $pa)))
        (local.set $o (v128.load (local.get $po)))
        (v128.store (local.get $po) (f32x4.add (f32x4.mul (local.get $x) (local.get $wv)) (local.get $o)))
        (local.set $x (v128.load offset=16 (local.get $pa)))
        (local.set $o (v128.load offset=16 (local.get $po)))
        (v128.store offset=16 (local.get $po) (f32x4.add (f32x4.mul (local.get $x) (local.get $w1)) (local.get $o)))
        (local.set $x (v128.load offset=32 (local.get $pa)))
        (local.set $o (v128.load offset=32 (local.get $po)))
        (v128.store offset=32 (local.get $po) (f32x4.add (f32x4.mul (local.get $x) (local.get $w2)) (local.get $o)))
        (local.set $x (v128.load offset=48 (local.get $pa)))
        (local.set $o (v128.load offset=48 (local.get $po)))
        (v128.store offset=48 (local.get $po) (f32x4.add (f32x4.mul (local.get $x) (local.get $w3)) (local.get $o)))
        (local.set $po (i32.add (local.get $po) (local.get $so)))
        (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
        (br_if $pixels (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $wide)))
    (block $done (loop $channels
      (br_if $done (i32.ge_u (local.get $c) (local.get $C)))
      (local.set $left (i32.sub (local.get $C) (local.get $c)))
      (local.set $wv (call $load4 (i32.add (local.get $w) (i32.shl (local.get $c) (i32.const 2))) (local.get $left)))
      (local.set $po (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $pa (i32.add (local.get $a) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $i (local.get $n))
      (loop $pixels
        (local.set $x (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $pa)))
          (else (call $load4 (local.get $pa) (local.get $left)))))
        (local.set $o (if (result v128) (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.load (local.get $po)))
          (else (call $load4 (local.get $po) (local.get $left)))))
        (local.set $o (f32x4.add (f32x4.mul (local.get $x) (local.get $wv)) (local.get $o)))
        (if (i32.ge_u (local.get $left) (i32.const 4))
          (then (v128.store (local.get $po) (local.get $o)))
          (else (call $store4 (local.get $po) (local.get $o) (local.get $left))))
        (local.set $po (i32.add (local.get $po) (local.get $so)))
        (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
        (br_if $pixels (local.tee $i (i32.sub (local.get $i) (i32.const 1)))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $channels))))

  ;; n floats at p set to zero.
  (func $zero (param $p i32) (param $n i32)
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.lt_u (local.get $n) (i32.const 4)))
      (v128.store (local.get $p) (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $n (i32.sub (local.get $n) (i32.const 4)))
      (br $vec)))
    (block $done (loop $tail
      (br_if $done (i32.eqz (local.get $n)))
      (f32.store (local.get $p) (f32.const 0))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $tail))))

  ;; The depthwise filter gradient: partial[task][jy][jx][0..C) = sum over the output rows r in
  ;; [task*R, min(rows, task*R + R)) (r = b*OH + oy), in order, and the taps' pixels in each, of
  ;; x[b][oy*sh - padTop + jy*dh][ox*sw - padLeft + jx*dw][c] * dy[b][oy][ox][c]. R is fixed by the shape
  ;; (never the thread count); the driver adds the partials in task order, or R covers all rows and the
  ;; partial is dw. args: the depthwise layout above, 15 x, 16 dy, 17 partials.
  (func (export "depthwiseFilter") (param $task i32) (param $args i32) (param $scratch i32)
    (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32) (local $KH i32) (local $KW i32)
    (local $sw i32) (local $C4 i32) (local $r i32) (local $end i32) (local $b i32) (local $oy i32)
    (local $jy i32) (local $jx i32) (local $sy i32) (local $off i32) (local $ox0 i32) (local $ox1 i32)
    (local $partial i32)
    (local.set $H (i32.load (local.get $args)))
    (local.set $W (i32.load offset=4 (local.get $args)))
    (local.set $C (i32.load offset=8 (local.get $args)))
    (local.set $OH (i32.load offset=12 (local.get $args)))
    (local.set $OW (i32.load offset=16 (local.get $args)))
    (local.set $KH (i32.load offset=20 (local.get $args)))
    (local.set $KW (i32.load offset=24 (local.get $args)))
    (local.set $sw (i32.load offset=32 (local.get $args)))
    (local.set $C4 (i32.shl (local.get $C) (i32.const 2)))
    (local.set $partial (i32.add (i32.load offset=68 (local.get $args))
      (i32.mul (local.get $task) (i32.load offset=72 (local.get $args)))))
    (call $zero (local.get $partial) (i32.mul (i32.mul (local.get $KH) (local.get $KW)) (local.get $C)))
    (local.set $r (i32.mul (local.get $task) (i32.load offset=52 (local.get $args))))
    (local.set $end (i32.add (local.get $r) (i32.load offset=52 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=56 (local.get $args)))
      (then (local.set $end (i32.load offset=56 (local.get $args)))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $end)))
      (local.set $b (i32.div_u (local.get $r) (local.get $OH)))
      (local.set $oy (i32.sub (local.get $r) (i32.mul (local.get $b) (local.get $OH))))
      (local.set $jy (i32.const 0))
      (loop $tapRows
        (local.set $sy (i32.add (i32.sub (i32.mul (local.get $oy) (i32.load offset=28 (local.get $args)))
          (i32.load offset=44 (local.get $args))) (i32.mul (local.get $jy) (i32.load offset=36 (local.get $args)))))
        ;; Unsigned: a row above the image (negative) is out of range too.
        (if (i32.lt_u (local.get $sy) (local.get $H)) (then
          (local.set $jx (i32.const 0))
          (loop $taps
            ;; Tap jx of output column ox reads input column ox*sw + off: columns [ox0, ox1) are inside.
            (local.set $off (i32.sub (i32.mul (local.get $jx) (i32.load offset=40 (local.get $args)))
              (i32.load offset=48 (local.get $args))))
            (local.set $ox0 (select (i32.const 0)
              (i32.div_u (i32.sub (i32.add (i32.sub (i32.const 0) (local.get $off)) (local.get $sw)) (i32.const 1))
                (local.get $sw))
              (i32.ge_s (local.get $off) (i32.const 0))))
            (local.set $ox1 (select (i32.const 0)
              (i32.add (i32.div_u (i32.sub (i32.sub (local.get $W) (i32.const 1)) (local.get $off)) (local.get $sw))
                (i32.const 1))
              (i32.ge_s (local.get $off) (local.get $W))))
            (if (i32.gt_u (local.get $ox1) (local.get $OW)) (then (local.set $ox1 (local.get $OW))))
            (if (i32.lt_u (local.get $ox0) (local.get $ox1)) (then
              (call $rowsDot
                (i32.add (local.get $partial)
                  (i32.mul (i32.add (i32.mul (local.get $jy) (local.get $KW)) (local.get $jx)) (local.get $C4)))
                (i32.add (i32.load offset=60 (local.get $args)) (i32.mul (i32.add (i32.add
                  (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $sy)) (local.get $W))
                  (i32.mul (local.get $ox0) (local.get $sw))) (local.get $off)) (local.get $C4)))
                (i32.mul (local.get $sw) (local.get $C4))
                (i32.add (i32.load offset=64 (local.get $args))
                  (i32.mul (i32.add (i32.mul (local.get $r) (local.get $OW)) (local.get $ox0)) (local.get $C4)))
                (local.get $C4)
                (i32.sub (local.get $ox1) (local.get $ox0))
                (local.get $C))))
            (br_if $taps (i32.lt_u (local.tee $jx (i32.add (local.get $jx) (i32.const 1))) (local.get $KW))))))
        (br_if $tapRows (i32.lt_u (local.tee $jy (i32.add (local.get $jy) (i32.const 1))) (local.get $KH))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; The depthwise input gradient: dx[b][iy][ix][0..C) = sum over the taps (jy, jx) in order of
  ;; dy[b][oy][ox][c] * w[jy][jx][c], where iy = oy*sh - padTop + jy*dh and ix = ox*sw - padLeft + jx*dw,
  ;; for the input rows r in [task*R, min(rows, task*R + R)) (r = b*H + iy): a tap reaches the input columns
  ;; ix0, ix0 + sw, ... of a row. args: the depthwise layout above, 15 dy, 16 w, 17 dx.
  (func (export "depthwiseInput") (param $task i32) (param $args i32) (param $scratch i32)
    (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32) (local $KH i32) (local $KW i32)
    (local $sh i32) (local $sw i32) (local $C4 i32) (local $r i32) (local $end i32) (local $b i32)
    (local $iy i32) (local $jy i32) (local $jx i32) (local $ny i32) (local $off i32) (local $ix0 i32)
    (local $ox0 i32) (local $n i32) (local $row i32) (local $dyRow i32)
    (local.set $H (i32.load (local.get $args)))
    (local.set $W (i32.load offset=4 (local.get $args)))
    (local.set $C (i32.load offset=8 (local.get $args)))
    (local.set $OH (i32.load offset=12 (local.get $args)))
    (local.set $OW (i32.load offset=16 (local.get $args)))
    (local.set $KH (i32.load offset=20 (local.get $args)))
    (local.set $KW (i32.load offset=24 (local.get $args)))
    (local.set $sh (i32.load offset=28 (local.get $args)))
    (local.set $sw (i32.load offset=32 (local.get $args)))
    (local.set $C4 (i32.shl (local.get $C) (i32.const 2)))
    (local.set $r (i32.mul (local.get $task) (i32.load offset=52 (local.get $args))))
    (local.set $end (i32.add (local.get $r) (i32.load offset=52 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=56 (local.get $args)))
      (then (local.set $end (i32.load offset=56 (local.get $args)))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $end)))
      (local.set $b (i32.div_u (local.get $r) (local.get $H)))
      (local.set $iy (i32.sub (local.get $r) (i32.mul (local.get $b) (local.get $H))))
      (local.set $row (i32.add (i32.load offset=68 (local.get $args))
        (i32.mul (i32.mul (local.get $r) (local.get $W)) (local.get $C4))))
      (call $zero (local.get $row) (i32.mul (local.get $W) (local.get $C)))
      (local.set $jy (i32.const 0))
      (loop $tapRows
        ;; Output row oy = ny / sh reaches this row through tap row jy when sh divides ny and oy is inside.
        (local.set $ny (i32.sub (i32.add (local.get $iy) (i32.load offset=44 (local.get $args)))
          (i32.mul (local.get $jy) (i32.load offset=36 (local.get $args)))))
        (if (i32.and (i32.ge_s (local.get $ny) (i32.const 0)) (i32.and
            (i32.eqz (i32.rem_u (local.get $ny) (local.get $sh)))
            (i32.lt_u (i32.div_u (local.get $ny) (local.get $sh)) (local.get $OH)))) (then
          (local.set $dyRow (i32.add (i32.load offset=60 (local.get $args)) (i32.mul (i32.mul
            (i32.add (i32.mul (local.get $b) (local.get $OH)) (i32.div_u (local.get $ny) (local.get $sh)))
            (local.get $OW)) (local.get $C4))))
          (local.set $jx (i32.const 0))
          (loop $taps
            ;; Input column ix takes output column (ix + off) / sw where sw divides ix + off.
            (local.set $off (i32.sub (i32.load offset=48 (local.get $args))
              (i32.mul (local.get $jx) (i32.load offset=40 (local.get $args)))))
            (local.set $ix0 (select (i32.const 0) (i32.sub (i32.const 0) (local.get $off))
              (i32.ge_s (local.get $off) (i32.const 0))))
            (local.set $n (i32.rem_u (i32.add (local.get $ix0) (local.get $off)) (local.get $sw)))
            (if (local.get $n) (then
              (local.set $ix0 (i32.add (local.get $ix0) (i32.sub (local.get $sw) (local.get $n))))))
            (local.set $ox0 (i32.div_u (i32.add (local.get $ix0) (local.get $off)) (local.get $sw)))
            (if (i32.and (i32.lt_u (local.get $ix0) (local.get $W)) (i32.lt_u (local.get $ox0) (local.get $OW)))
              (then
                (local.set $n (i32.div_u (i32.sub (i32.add (i32.sub (local.get $W) (local.get $ix0)) (local.get $sw))
                  (i32.const 1)) (local.get $sw)))
                (if (i32.gt_u (local.get $n) (i32.sub (local.get $OW) (local.get $ox0)))
                  (then (local.set $n (i32.sub (local.get $OW) (local.get $ox0)))))
                (call $rowsAxpy
                  (i32.add (local.get $row) (i32.mul (local.get $ix0) (local.get $C4)))
                  (i32.mul (local.get $sw) (local.get $C4))
                  (i32.add (local.get $dyRow) (i32.mul (local.get $ox0) (local.get $C4)))
                  (local.get $C4)
                  (i32.add (i32.load offset=64 (local.get $args))
                    (i32.mul (i32.add (i32.mul (local.get $jy) (local.get $KW)) (local.get $jx)) (local.get $C4)))
                  (local.get $n)
                  (local.get $C))))
            (br_if $taps (i32.lt_u (local.tee $jx (i32.add (local.get $jx) (i32.const 1))) (local.get $KW))))))
        (br_if $tapRows (i32.lt_u (local.tee $jy (i32.add (local.get $jy) (i32.const 1))) (local.get $KH))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; out = a + b over `length` floats, b as long as a or one row of n floats repeated (a bias): row r is
  ;; floats [r*n, min(length, r*n + n)), b's row r at b + r*bStep bytes (bStep 0: broadcast; 4n: b as long
  ;; as a, the rows only a split). Task t adds the rows [t*R, t*R + R).
  ;; args: 0 a, 1 b, 2 out, 3 n, 4 length, 5 bStep (bytes), 6 R
  (func (export "addRows") (param $task i32) (param $args i32) (param $scratch i32)
    (local $r i32) (local $end i32) (local $start i32) (local $left i32) (local $pa i32) (local $pb i32)
    (local $po i32) (local $n i32)
    (local.set $n (i32.load offset=12 (local.get $args)))
    (local.set $r (i32.mul (local.get $task) (i32.load offset=24 (local.get $args))))
    (local.set $end (i32.add (local.get $r) (i32.load offset=24 (local.get $args))))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $end)))
      (local.set $start (i32.mul (local.get $r) (local.get $n)))
      (br_if $rowsDone (i32.ge_u (local.get $start) (i32.load offset=16 (local.get $args))))
      (local.set $left (i32.sub (i32.load offset=16 (local.get $args)) (local.get $start)))
      (if (i32.gt_u (local.get $left) (local.get $n)) (then (local.set $left (local.get $n))))
      (local.set $pa (i32.add (i32.load (local.get $args)) (i32.shl (local.get $start) (i32.const 2))))
      (local.set $po (i32.add (i32.load offset=8 (local.get $args)) (i32.shl (local.get $start) (i32.const 2))))
      (local.set $pb (i32.add (i32.load offset=4 (local.get $args))
        (i32.mul (local.get $r) (i32.load offset=20 (local.get $args)))))
      ;; Four vectors an iteration, then one.
      (block $wideDone (loop $wide
        (br_if $wideDone (i32.lt_u (local.get $left) (i32.const 16)))
        (v128.store (local.get $po) (f32x4.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (v128.store offset=16 (local.get $po)
          (f32x4.add (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (v128.store offset=32 (local.get $po)
          (f32x4.add (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))))
        (v128.store offset=48 (local.get $po)
          (f32x4.add (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
        (local.set $po (i32.add (local.get $po) (i32.const 64)))
        (local.set $left (i32.sub (local.get $left) (i32.const 16)))
        (br $wide)))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.lt_u (local.get $left) (i32.const 4)))
        (v128.store (local.get $po) (f32x4.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (local.set $left (i32.sub (local.get $left) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.eqz (local.get $left)))
        (f32.store (local.get $po) (f32.add (f32.load (local.get $pa)) (f32.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 4)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
        (local.set $po (i32.add (local.get $po) (i32.const 4)))
        (local.set $left (i32.sub (local.get $left) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))

  ;; out = relu(x) over `length` floats as tfjs-wasm's Relu has it: x where x > 0 or x is NaN, else +0 (so
  ;; -0 -> +0), the mask ANDed onto x. Task t takes floats [t*R, min(length, t*R + R)).
  ;; args: 0 x, 1 out, 2 length, 3 R (a multiple of 4)
  (func (export "reluRows") (param $task i32) (param $args i32) (param $scratch i32)
    (local $px i32) (local $po i32) (local $left i32) (local $start i32) (local $v v128) (local $f f32)
    (local.set $start (i32.mul (local.get $task) (i32.load offset=12 (local.get $args))))
    (local.set $left (i32.sub (i32.load offset=8 (local.get $args)) (local.get $start)))
    (if (i32.gt_u (local.get $left) (i32.load offset=12 (local.get $args)))
      (then (local.set $left (i32.load offset=12 (local.get $args)))))
    (local.set $px (i32.add (i32.load (local.get $args)) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $po (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (local.get $start) (i32.const 2))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.lt_u (local.get $left) (i32.const 4)))
      (local.set $v (v128.load (local.get $px)))
      (v128.store (local.get $po) (v128.and (local.get $v)
        (v128.or (f32x4.gt (local.get $v) (v128.const i32x4 0 0 0 0)) (f32x4.ne (local.get $v) (local.get $v)))))
      (local.set $px (i32.add (local.get $px) (i32.const 16)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (local.set $left (i32.sub (local.get $left) (i32.const 4)))
      (br $vec)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.eqz (local.get $left)))
      (local.set $f (f32.load (local.get $px)))
      (f32.store (local.get $po) (select (local.get $f) (f32.const 0)
        (i32.or (f32.gt (local.get $f) (f32.const 0)) (f32.ne (local.get $f) (local.get $f)))))
      (local.set $px (i32.add (local.get $px) (i32.const 4)))
      (local.set $po (i32.add (local.get $po) (i32.const 4)))
      (local.set $left (i32.sub (local.get $left) (i32.const 1)))
      (br $tail))))

  ;; C[m x n] = A[m x k] . B[k x n] for a thin product, one of n and k in single digits (a kernel generator's
  ;; 1x1 convolutions, to or from a few channels), where the GEMM's 4 x 8 tiles are mostly padding: B is
  ;; packed into scratch as k rows of n rounded up to 4 (zeros past n). n = 1: four rows of C at a time, A's
  ;; four elements of a column gathered into one vector (the last rows of a task one at a time, the same
  ;; sums); otherwise a row at a time, A's elements splatted against B's rows, 4 columns of C at a time. Task
  ;; t computes rows [t*R, t*R + R). Every element sums its k products in order of k.
  ;; With a bias (args 12, n floats; 0: none) each element is its sum + bias[column], added after the sum as
  ;; an Add kernel would (the bits of the product and then Add; written bias-first so that the FMA variant
  ;; never fuses it into the last product).
  ;; args: 0 A, 1 A row stride, 2 A column stride, 3 B, 4 B row stride, 5 B column stride, 6 C, 7 C row stride
  ;;       (strides in bytes; C's columns contiguous), 8 m, 9 n, 10 k, 11 R, 12 bias
  ;; scratch: k * (n rounded up to 4) floats, then for k = 1 8n words (the outer product's patterns), then
  ;; with a bias n rounded up to 4 floats (zeros past n) and for k = 1 4n more (bias[f mod n] for lane f)
  (func (export "thinProduct") (param $task i32) (param $args i32) (param $scratch i32)
    (local $n i32) (local $k i32) (local $n4 i32) (local $sa i32) (local $sak i32) (local $sc i32)
    (local $p i32) (local $end i32) (local $i i32) (local $j i32) (local $a i32) (local $c i32) (local $b i32)
    (local $q i32) (local $x v128) (local $w v128) (local $acc v128) (local $bias i32)
    (local.set $n (i32.load offset=36 (local.get $args)))
    (local.set $k (i32.load offset=40 (local.get $args)))
    (local.set $sa (i32.load offset=4 (local.get $args)))
    (local.set $sak (i32.load offset=8 (local.get $args)))
    (local.set $sc (i32.load offset=28 (local.get $args)))
    (local.set $n4 (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)))
    ;; Pack B: element (i, j) to scratch + 4(i*n4 + j).
    (local.set $i (i32.const 0))
    (block $packed (loop $packRows
      (br_if $packed (i32.ge_u (local.get $i) (local.get $k)))
      (local.set $j (i32.const 0))
      (loop $packCols
        (f32.store (i32.add (local.get $scratch) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n4))
          (local.get $j)) (i32.const 2)))
          (if (result f32) (i32.lt_u (local.get $j) (local.get $n))
            (then (f32.load (i32.add (i32.add (i32.load offset=12 (local.get $args))
              (i32.mul (local.get $i) (i32.load offset=16 (local.get $args))))
              (i32.mul (local.get $j) (i32.load offset=20 (local.get $args))))))
            (else (f32.const 0))))
        (br_if $packCols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n4))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $packRows)))
    ;; The bias, packed past the rest of scratch: n4 floats, then for k = 1 its 4n-lane pattern.
    (if (i32.load offset=48 (local.get $args)) (then
      (local.set $bias (i32.add (local.get $scratch) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n4))
        (select (i32.shl (local.get $n) (i32.const 3)) (i32.const 0) (i32.eq (local.get $k) (i32.const 1))))
        (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $packBias
        (f32.store (i32.add (local.get $bias) (i32.shl (local.get $i) (i32.const 2)))
          (if (result f32) (i32.lt_u (local.get $i) (local.get $n))
            (then (f32.load (i32.add (i32.load offset=48 (local.get $args)) (i32.shl (local.get $i) (i32.const 2)))))
            (else (f32.const 0))))
        (br_if $packBias (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n4))))
      (if (i32.eq (local.get $k) (i32.const 1)) (then
        (local.set $i (i32.const 0))
        (loop $biasPattern
          (f32.store (i32.add (i32.add (local.get $bias) (i32.shl (local.get $n4) (i32.const 2)))
            (i32.shl (local.get $i) (i32.const 2)))
            (f32.load (i32.add (local.get $bias) (i32.shl (i32.rem_u (local.get $i) (local.get $n)) (i32.const 2)))))
          (br_if $biasPattern (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1)))
            (i32.shl (local.get $n) (i32.const 2)))))))))
    (local.set $p (i32.mul (local.get $task) (i32.load offset=44 (local.get $args))))
    (local.set $end (i32.add (local.get $p) (i32.load offset=44 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=32 (local.get $args)))
      (then (local.set $end (i32.load offset=32 (local.get $args)))))
    (if (i32.eq (local.get $n) (i32.const 1)) (then
      (block $quadsDone (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
        (local.set $a (i32.add (i32.load (local.get $args)) (i32.mul (local.get $p) (local.get $sa))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $i) (local.get $k)))
          (local.set $x (v128.load32_zero (local.get $a)))
          (local.set $x (v128.load32_lane 1 (i32.add (local.get $a) (local.get $sa)) (local.get $x)))
          (local.set $x (v128.load32_lane 2 (i32.add (local.get $a) (i32.shl (local.get $sa) (i32.const 1)))
            (local.get $x)))
          (local.set $x (v128.load32_lane 3 (i32.add (local.get $a) (i32.mul (local.get $sa) (i32.const 3)))
            (local.get $x)))
          (local.set $w (v128.load32_splat (i32.add (local.get $scratch) (i32.shl (local.get $i) (i32.const 4)))))
          (local.set $acc (f32x4.add (f32x4.mul (local.get $x) (local.get $w)) (local.get $acc)))
          (local.set $a (i32.add (local.get $a) (local.get $sak)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $kLoop)))
        (if (local.get $bias) (then
          (local.set $acc (f32x4.add (v128.load32_splat (local.get $bias)) (local.get $acc)))))
        (local.set $c (i32.add (i32.load offset=24 (local.get $args)) (i32.mul (local.get $p) (local.get $sc))))
        (v128.store32_lane 0 (local.get $c) (local.get $acc))
        (v128.store32_lane 1 (i32.add (local.get $c) (local.get $sc)) (local.get $acc))
        (v128.store32_lane 2 (i32.add (local.get $c) (i32.shl (local.get $sc) (i32.const 1))) (local.get $acc))
        (v128.store32_lane 3 (i32.add (local.get $c) (i32.mul (local.get $sc) (i32.const 3))) (local.get $acc))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $quads)))))
    ;; k = 1 (an outer product) into rows of C that follow each other: four rows are n vectors, vector v
    ;; lane l element f = 4v + l, row f / n of the four, column f mod n. The lanes' row indices (as byte
    ;; indices for a swizzle of A's four elements) and B's columns go to scratch past the packed B first.
    (if (i32.and (i32.and (i32.eq (local.get $k) (i32.const 1)) (i32.gt_u (local.get $n) (i32.const 1)))
        (i32.eq (local.get $sc) (i32.shl (local.get $n) (i32.const 2)))) (then
      (local.set $b (i32.add (local.get $scratch) (i32.shl (local.get $n4) (i32.const 2))))
      (local.set $i (i32.const 0))
      (loop $patterns
        (i32.store (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))
          (i32.add (i32.mul (i32.shl (i32.div_u (local.get $i) (local.get $n)) (i32.const 2)) (i32.const 0x01010101))
            (i32.const 0x03020100)))
        (f32.store (i32.add (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 4))) (i32.shl (local.get $i) (i32.const 2)))
          (f32.load (i32.add (local.get $scratch) (i32.shl (i32.rem_u (local.get $i) (local.get $n)) (i32.const 2)))))
        (br_if $patterns (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.shl (local.get $n) (i32.const 2)))))
      (block $outerDone (loop $outer
        (br_if $outerDone (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
        (local.set $a (i32.add (i32.load (local.get $args)) (i32.mul (local.get $p) (local.get $sa))))
        (local.set $x (v128.load32_zero (local.get $a)))
        (local.set $x (v128.load32_lane 1 (i32.add (local.get $a) (local.get $sa)) (local.get $x)))
        (local.set $x (v128.load32_lane 2 (i32.add (local.get $a) (i32.shl (local.get $sa) (i32.const 1)))
          (local.get $x)))
        (local.set $x (v128.load32_lane 3 (i32.add (local.get $a) (i32.mul (local.get $sa) (i32.const 3)))
          (local.get $x)))
        (local.set $c (i32.add (i32.load offset=24 (local.get $args)) (i32.mul (local.get $p) (local.get $sc))))
        (local.set $j (i32.const 0))
        (loop $vectors
          (local.set $q (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 4))))
          (local.set $acc (f32x4.mul (i8x16.swizzle (local.get $x) (v128.load (local.get $q)))
            (v128.load (i32.add (local.get $q) (i32.shl (local.get $n) (i32.const 4))))))
          (if (local.get $bias) (then
            (local.set $acc (f32x4.add
              (v128.load (i32.add (i32.add (local.get $bias) (i32.shl (local.get $n4) (i32.const 2)))
                (i32.shl (local.get $j) (i32.const 4))))
              (local.get $acc)))))
          (v128.store (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 4))) (local.get $acc))
          (br_if $vectors (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $outer)))))
    ;; A row at a time: every row where n > 1, the task's last rows where n = 1 (one lane used).
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $c (i32.add (i32.load offset=24 (local.get $args)) (i32.mul (local.get $p) (local.get $sc))))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $a (i32.add (i32.load (local.get $args)) (i32.mul (local.get $p) (local.get $sa))))
        (local.set $b (i32.add (local.get $scratch) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $i (i32.const 0))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.ge_u (local.get $i) (local.get $k)))
          (local.set $x (v128.load32_splat (local.get $a)))
          (local.set $w (v128.load (local.get $b)))
          (local.set $acc (f32x4.add (f32x4.mul (local.get $x) (local.get $w)) (local.get $acc)))
          (local.set $a (i32.add (local.get $a) (local.get $sak)))
          (local.set $b (i32.add (local.get $b) (i32.shl (local.get $n4) (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $kLoop)))
        (if (local.get $bias) (then
          (local.set $acc (f32x4.add (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))
            (local.get $acc)))))
        (call $store4 (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc)
          (i32.sub (local.get $n) (local.get $j)))
        (br_if $cols (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 4))) (local.get $n))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $rows))))

  ;; One Adam step over `length` floats of a variable (tfjs's AdamOptimizer, its float32 operations in its
  ;; order, so the same bits): m' = m*b1 + g*c1, v' = v*b2 + (g*g)*c2, value' = ((m'/d1) / (sqrt(v'/d2) + eps))
  ;; * negLr + value, with c = 1 - b and d = 1 - b^t. Sums are written `(add z (mul x y))`: never fused (the
  ;; fma variants rewrite only `(add (mul x y) z)`), as tfjs never fuses them. Task t takes [t*per, t*per + per).
  ;; args: 0 value, 1 m, 2 v, 3 gradient, 4 new value, 5 new m, 6 new v, 7 length, 8 per; then as float32:
  ;;       9 b1, 10 c1, 11 b2, 12 c2, 13 eps, 14 negLr, 15 d1, 16 d2
  (func (export "adamUpdate") (param $task i32) (param $args i32) (param $scratch i32)
    (local $i i32) (local $end i32) (local $at i32)
    (local $g v128) (local $m v128) (local $v v128)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local.set $i (i32.mul (local.get $task) (i32.load offset=32 (local.get $args))))
    (local.set $end (i32.add (local.get $i) (i32.load offset=32 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=28 (local.get $args)))
      (then (local.set $end (i32.load offset=28 (local.get $args)))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $g (v128.load (i32.add (i32.load offset=12 (local.get $args)) (local.get $at))))
      (local.set $m (f32x4.add
        (f32x4.mul (local.get $g) (v128.load32_splat offset=40 (local.get $args)))
        (f32x4.mul (v128.load (i32.add (i32.load offset=4 (local.get $args)) (local.get $at)))
          (v128.load32_splat offset=36 (local.get $args)))))
      (local.set $v (f32x4.add
        (f32x4.mul (f32x4.mul (local.get $g) (local.get $g)) (v128.load32_splat offset=48 (local.get $args)))
        (f32x4.mul (v128.load (i32.add (i32.load offset=8 (local.get $args)) (local.get $at)))
          (v128.load32_splat offset=44 (local.get $args)))))
      (v128.store (i32.add (i32.load offset=20 (local.get $args)) (local.get $at)) (local.get $m))
      (v128.store (i32.add (i32.load offset=24 (local.get $args)) (local.get $at)) (local.get $v))
      (v128.store (i32.add (i32.load offset=16 (local.get $args)) (local.get $at)) (f32x4.add
        (v128.load (i32.add (i32.load (local.get $args)) (local.get $at)))
        (f32x4.mul (v128.load32_splat offset=56 (local.get $args))
          (f32x4.div (f32x4.div (local.get $m) (v128.load32_splat offset=60 (local.get $args)))
            (f32x4.add (v128.load32_splat offset=52 (local.get $args))
              (f32x4.sqrt (f32x4.div (local.get $v) (v128.load32_splat offset=64 (local.get $args)))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gs (f32.load (i32.add (i32.load offset=12 (local.get $args)) (local.get $at))))
      (local.set $ms (f32.add
        (f32.mul (local.get $gs) (f32.load offset=40 (local.get $args)))
        (f32.mul (f32.load (i32.add (i32.load offset=4 (local.get $args)) (local.get $at)))
          (f32.load offset=36 (local.get $args)))))
      (local.set $vs (f32.add
        (f32.mul (f32.mul (local.get $gs) (local.get $gs)) (f32.load offset=48 (local.get $args)))
        (f32.mul (f32.load (i32.add (i32.load offset=8 (local.get $args)) (local.get $at)))
          (f32.load offset=44 (local.get $args)))))
      (f32.store (i32.add (i32.load offset=20 (local.get $args)) (local.get $at)) (local.get $ms))
      (f32.store (i32.add (i32.load offset=24 (local.get $args)) (local.get $at)) (local.get $vs))
      (f32.store (i32.add (i32.load offset=16 (local.get $args)) (local.get $at)) (f32.add
        (f32.load (i32.add (i32.load (local.get $args)) (local.get $at)))
        (f32.mul (f32.load offset=56 (local.get $args))
          (f32.div (f32.div (local.get $ms) (f32.load offset=60 (local.get $args)))
            (f32.add (f32.load offset=52 (local.get $args))
              (f32.sqrt (f32.div (local.get $vs) (f32.load offset=64 (local.get $args)))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail))))

  ;; out[i] = partial[0][i] + partial[1][i] + ... in that order (out[i] + partial[0][i] + ... when
  ;; accumulating), for i in [task*per, task*per + per).
  ;; args: 0 partials, 1 partial stride (bytes), 2 groups, 3 out, 4 length (floats), 5 per (a multiple of 4),
  ;;       6 accumulate (0/1)
  (func (export "sumPartials") (param $task i32) (param $args i32) (param $scratch i32)
    (local $i i32) (local $end i32) (local $g i32) (local $p i32) (local $stride i32) (local $groups i32)
    (local $v v128) (local $s f32)
    (local.set $stride (i32.load offset=4 (local.get $args)))
    (local.set $groups (i32.load offset=8 (local.get $args)))
    (local.set $i (i32.mul (local.get $task) (i32.load offset=20 (local.get $args))))
    (local.set $end (i32.add (local.get $i) (i32.load offset=20 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=16 (local.get $args)))
      (then (local.set $end (i32.load offset=16 (local.get $args)))))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $end)))
      (local.set $p (i32.add (i32.load (local.get $args)) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $v (v128.load (local.get $p)))
      (if (i32.load offset=24 (local.get $args)) (then (local.set $v (f32x4.add
        (v128.load (i32.add (i32.load offset=12 (local.get $args)) (i32.shl (local.get $i) (i32.const 2))))
        (local.get $v)))))
      (local.set $g (i32.const 1))
      (block $groupsDone (loop $groupLoop
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $p))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groupLoop)))
      (v128.store (i32.add (i32.load offset=12 (local.get $args)) (i32.shl (local.get $i) (i32.const 2))) (local.get $v))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vec)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $p (i32.add (i32.load (local.get $args)) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $s (f32.load (local.get $p)))
      (if (i32.load offset=24 (local.get $args)) (then (local.set $s (f32.add
        (f32.load (i32.add (i32.load offset=12 (local.get $args)) (i32.shl (local.get $i) (i32.const 2))))
        (local.get $s)))))
      (local.set $g (i32.const 1))
      (block $groupsDone (loop $groupLoop
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $p (i32.add (local.get $p) (local.get $stride)))
        (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $groupLoop)))
      (f32.store (i32.add (i32.load offset=12 (local.get $args)) (i32.shl (local.get $i) (i32.const 2))) (local.get $s))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail))))

  ;; e^x in each lane for x <= 0 (softmax's logits less their maximum): 2^n * p(r) with n = nearest(x log2 e),
  ;; r = x - n ln 2 (ln 2 in two parts) and p Cephes' expf polynomial, within 2 ulp of e^x (tested against
  ;; float64). Below -87.3 (where e^x leaves the normal floats) 0; NaN stays NaN.
  (func $expNonPositive (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $under v128)
    (local.set $under (f32x4.lt (local.get $x) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
    (local.set $x (f32x4.max (local.get $x) (v128.const f32x4 -87.33654 -87.33654 -87.33654 -87.33654)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
      (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
      (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (f32x4.add (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)
      (f32x4.mul (local.get $r) (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))))
    (local.set $p (f32x4.add (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)
      (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)
      (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)
      (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)
      (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.add (local.get $r)
      (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))))))
    (v128.andnot
      (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n))
        (v128.const i32x4 127 127 127 127)) (i32.const 23)))
      (local.get $under)))

  ;; Four lanes from four byte addresses: one 16-byte access where they follow each other ($wide).
  (func $gather4 (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $wide i32)
    (result v128)
    (if (result v128) (local.get $wide)
      (then (v128.load (local.get $a0)))
      (else (v128.load32_lane 3 (local.get $a3) (v128.load32_lane 2 (local.get $a2)
        (v128.load32_lane 1 (local.get $a1) (v128.load32_zero (local.get $a0))))))))

  (func $scatter4 (param $a0 i32) (param $a1 i32) (param $a2 i32) (param $a3 i32) (param $wide i32)
    (param $v v128)
    (if (local.get $wide)
      (then (v128.store (local.get $a0) (local.get $v)))
      (else
        (v128.store32_lane 0 (local.get $a0) (local.get $v))
        (v128.store32_lane 1 (local.get $a1) (local.get $v))
        (v128.store32_lane 2 (local.get $a2) (local.get $v))
        (v128.store32_lane 3 (local.get $a3) (local.get $v)))))

  ;; Byte offset of lane l's first element along the axis: lanes are (o, i) pairs, l = o*inner + i, and the
  ;; tensor [outer, n, inner] has lane l's element t at (o*n + t)*inner + i.
  (func $laneOffset (param $l i32) (param $n i32) (param $inner i32) (result i32)
    (i32.shl (i32.add (i32.mul (i32.mul (i32.div_u (local.get $l) (local.get $inner)) (local.get $n))
      (local.get $inner)) (i32.rem_u (local.get $l) (local.get $inner))) (i32.const 2)))

  ;; Softmax over the middle axis of [outer, n, inner]: out_t = e^(x_t - max x) / sum of those, four lanes at a
  ;; time (a vector along inner where four lanes follow each other, else gathered). A task's last lanes repeat
  ;; its last lane (the same values to the same place). Task t takes lanes [t*per, t*per + per).
  ;; args: 0 x, 1 out, 2 lanes (outer*inner), 3 n, 4 inner, 5 per (a multiple of 4)
  (func (export "axisSoftmax") (param $task i32) (param $args i32) (param $scratch i32)
    (local $l i32) (local $end i32) (local $n i32) (local $inner i32) (local $step i32) (local $t i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $wide i32) (local $p i32)
    (local $q i32) (local $m v128) (local $s v128) (local $e v128)
    (local.set $n (i32.load offset=12 (local.get $args)))
    (local.set $inner (i32.load offset=16 (local.get $args)))
    (local.set $step (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $l (i32.mul (local.get $task) (i32.load offset=20 (local.get $args))))
    (local.set $end (i32.add (local.get $l) (i32.load offset=20 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=8 (local.get $args)))
      (then (local.set $end (i32.load offset=8 (local.get $args)))))
    (block $done (loop $quads
      (br_if $done (i32.ge_u (local.get $l) (local.get $end)))
      (local.set $o0 (call $laneOffset (local.get $l) (local.get $n) (local.get $inner)))
      (local.set $o1 (call $laneOffset (select (i32.add (local.get $l) (i32.const 1)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 1)) (local.get $end))) (local.get $n) (local.get $inner)))
      (local.set $o2 (call $laneOffset (select (i32.add (local.get $l) (i32.const 2)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 2)) (local.get $end))) (local.get $n) (local.get $inner)))
      (local.set $o3 (call $laneOffset (select (i32.add (local.get $l) (i32.const 3)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 3)) (local.get $end))) (local.get $n) (local.get $inner)))
      ;; Four distinct lanes' offsets grow by at least 4 bytes a lane (4 within a row of inner): 12 apart means
      ;; four in a row.
      (local.set $wide (i32.and (i32.lt_u (i32.add (local.get $l) (i32.const 3)) (local.get $end))
        (i32.eq (i32.sub (local.get $o3) (local.get $o0)) (i32.const 12))))
      (local.set $p (i32.load (local.get $args)))
      (local.set $m (call $gather4 (i32.add (local.get $p) (local.get $o0)) (i32.add (local.get $p) (local.get $o1))
        (i32.add (local.get $p) (local.get $o2)) (i32.add (local.get $p) (local.get $o3)) (local.get $wide)))
      (local.set $t (i32.const 1))
      (block $maxDone (loop $max
        (br_if $maxDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $p (i32.add (local.get $p) (local.get $step)))
        (local.set $m (f32x4.max (local.get $m) (call $gather4 (i32.add (local.get $p) (local.get $o0))
          (i32.add (local.get $p) (local.get $o1)) (i32.add (local.get $p) (local.get $o2))
          (i32.add (local.get $p) (local.get $o3)) (local.get $wide))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $max)))
      (local.set $p (i32.load (local.get $args)))
      (local.set $q (i32.load offset=4 (local.get $args)))
      (local.set $s (v128.const i32x4 0 0 0 0))
      (local.set $t (i32.const 0))
      (block $expDone (loop $exp
        (br_if $expDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $e (call $expNonPositive (f32x4.sub (call $gather4 (i32.add (local.get $p) (local.get $o0))
          (i32.add (local.get $p) (local.get $o1)) (i32.add (local.get $p) (local.get $o2))
          (i32.add (local.get $p) (local.get $o3)) (local.get $wide)) (local.get $m))))
        (call $scatter4 (i32.add (local.get $q) (local.get $o0)) (i32.add (local.get $q) (local.get $o1))
          (i32.add (local.get $q) (local.get $o2)) (i32.add (local.get $q) (local.get $o3)) (local.get $wide)
          (local.get $e))
        (local.set $s (f32x4.add (local.get $s) (local.get $e)))
        (local.set $p (i32.add (local.get $p) (local.get $step)))
        (local.set $q (i32.add (local.get $q) (local.get $step)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $exp)))
      (local.set $q (i32.load offset=4 (local.get $args)))
      (local.set $t (i32.const 0))
      (block $divDone (loop $div
        (br_if $divDone (i32.ge_u (local.get $t) (local.get $n)))
        (call $scatter4 (i32.add (local.get $q) (local.get $o0)) (i32.add (local.get $q) (local.get $o1))
          (i32.add (local.get $q) (local.get $o2)) (i32.add (local.get $q) (local.get $o3)) (local.get $wide)
          (f32x4.div (call $gather4 (i32.add (local.get $q) (local.get $o0)) (i32.add (local.get $q) (local.get $o1))
            (i32.add (local.get $q) (local.get $o2)) (i32.add (local.get $q) (local.get $o3)) (local.get $wide))
            (local.get $s)))
        (local.set $q (i32.add (local.get $q) (local.get $step)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $div)))
      (local.set $l (i32.add (local.get $l) (i32.const 4)))
      (br $quads))))

  ;; The gradient of axisSoftmax, given its output y: dx_t = y_t * (dy_t - sum over t of y_t * dy_t), the sum in
  ;; order of t. Lanes and tasks as in axisSoftmax.
  ;; args: 0 y, 1 dy, 2 dx, 3 lanes, 4 n, 5 inner, 6 per (a multiple of 4)
  (func (export "axisSoftmaxGrad") (param $task i32) (param $args i32) (param $scratch i32)
    (local $l i32) (local $end i32) (local $n i32) (local $inner i32) (local $step i32) (local $t i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32) (local $wide i32) (local $p i32)
    (local $q i32) (local $r i32) (local $s v128) (local $y v128)
    (local.set $n (i32.load offset=16 (local.get $args)))
    (local.set $inner (i32.load offset=20 (local.get $args)))
    (local.set $step (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $l (i32.mul (local.get $task) (i32.load offset=24 (local.get $args))))
    (local.set $end (i32.add (local.get $l) (i32.load offset=24 (local.get $args))))
    (if (i32.gt_u (local.get $end) (i32.load offset=12 (local.get $args)))
      (then (local.set $end (i32.load offset=12 (local.get $args)))))
    (block $done (loop $quads
      (br_if $done (i32.ge_u (local.get $l) (local.get $end)))
      (local.set $o0 (call $laneOffset (local.get $l) (local.get $n) (local.get $inner)))
      (local.set $o1 (call $laneOffset (select (i32.add (local.get $l) (i32.const 1)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 1)) (local.get $end))) (local.get $n) (local.get $inner)))
      (local.set $o2 (call $laneOffset (select (i32.add (local.get $l) (i32.const 2)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 2)) (local.get $end))) (local.get $n) (local.get $inner)))
      (local.set $o3 (call $laneOffset (select (i32.add (local.get $l) (i32.const 3)) (i32.sub (local.get $end) (i32.const 1))
        (i32.lt_u (i32.add (local.get $l) (i32.const 3)) (local.get $end))) (local.get $n) (local.get $inner)))
      (local.set $wide (i32.and (i32.lt_u (i32.add (local.get $l) (i32.const 3)) (local.get $end))
        (i32.eq (i32.sub (local.get $o3) (local.get $o0)) (i32.const 12))))
      (local.set $p (i32.load (local.get $args)))
      (local.set $q (i32.load offset=4 (local.get $args)))
      (local.set $s (v128.const i32x4 0 0 0 0))
      (local.set $t (i32.const 0))
      (block $sumDone (loop $sum
        (br_if $sumDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $s (f32x4.add (local.get $s) (f32x4.mul
          (call $gather4 (i32.add (local.get $p) (local.get $o0)) (i32.add (local.get $p) (local.get $o1))
            (i32.add (local.get $p) (local.get $o2)) (i32.add (local.get $p) (local.get $o3)) (local.get $wide))
          (call $gather4 (i32.add (local.get $q) (local.get $o0)) (i32.add (local.get $q) (local.get $o1))
            (i32.add (local.get $q) (local.get $o2)) (i32.add (local.get $q) (local.get $o3)) (local.get $wide)))))
        (local.set $p (i32.add (local.get $p) (local.get $step)))
        (local.set $q (i32.add (local.get $q) (local.get $step)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $sum)))
      (local.set $p (i32.load (local.get $args)))
      (local.set $q (i32.load offset=4 (local.get $args)))
      (local.set $r (i32.load offset=8 (local.get $args)))
      (local.set $t (i32.const 0))
      (block $outDone (loop $out
        (br_if $outDone (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $y (call $gather4 (i32.add (local.get $p) (local.get $o0)) (i32.add (local.get $p) (local.get $o1))
          (i32.add (local.get $p) (local.get $o2)) (i32.add (local.get $p) (local.get $o3)) (local.get $wide)))
        (call $scatter4 (i32.add (local.get $r) (local.get $o0)) (i32.add (local.get $r) (local.get $o1))
          (i32.add (local.get $r) (local.get $o2)) (i32.add (local.get $r) (local.get $o3)) (local.get $wide)
          (f32x4.mul (local.get $y) (f32x4.sub
            (call $gather4 (i32.add (local.get $q) (local.get $o0)) (i32.add (local.get $q) (local.get $o1))
              (i32.add (local.get $q) (local.get $o2)) (i32.add (local.get $q) (local.get $o3)) (local.get $wide))
            (local.get $s))))
        (local.set $p (i32.add (local.get $p) (local.get $step)))
        (local.set $q (i32.add (local.get $q) (local.get $step)))
        (local.set $r (i32.add (local.get $r) (local.get $step)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $out)))
      (local.set $l (i32.add (local.get $l) (i32.const 4)))
      (br $quads))))

  ;; The SIMD multiply-add peak probe (not a task kernel): n iterations of 12 independent chains
  ;; acc = acc * a + b (8 flops per chain and iteration; enough chains to cover mul and add latencies on two
  ;; ports). Returns a lane of the sum so that nothing is dead.
  (func (export "peak") (param $n i32) (param $a f32) (param $b f32) (result f32)
    (local $va v128) (local $vb v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128)
    (local $s6 v128) (local $s7 v128) (local $s8 v128) (local $s9 v128) (local $s10 v128) (local $s11 v128)
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (if (local.get $n) (then (loop $iterations
      (local.set $s0 (f32x4.add (f32x4.mul (local.get $s0) (local.get $va)) (local.get $vb)))
      (local.set $s1 (f32x4.add (f32x4.mul (local.get $s1) (local.get $va)) (local.get $vb)))
      (local.set $s2 (f32x4.add (f32x4.mul (local.get $s2) (local.get $va)) (local.get $vb)))
      (local.set $s3 (f32x4.add (f32x4.mul (local.get $s3) (local.get $va)) (local.get $vb)))
      (local.set $s4 (f32x4.add (f32x4.mul (local.get $s4) (local.get $va)) (local.get $vb)))
      (local.set $s5 (f32x4.add (f32x4.mul (local.get $s5) (local.get $va)) (local.get $vb)))
      (local.set $s6 (f32x4.add (f32x4.mul (local.get $s6) (local.get $va)) (local.get $vb)))
      (local.set $s7 (f32x4.add (f32x4.mul (local.get $s7) (local.get $va)) (local.get $vb)))
      (local.set $s8 (f32x4.add (f32x4.mul (local.get $s8) (local.get $va)) (local.get $vb)))
      (local.set $s9 (f32x4.add (f32x4.mul (local.get $s9) (local.get $va)) (local.get $vb)))
      (local.set $s10 (f32x4.add (f32x4.mul (local.get $s10) (local.get $va)) (local.get $vb)))
      (local.set $s11 (f32x4.add (f32x4.mul (local.get $s11) (local.get $va)) (local.get $vb)))
      (br_if $iterations (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))
    (f32x4.extract_lane 0 (f32x4.add (f32x4.add (f32x4.add (local.get $s0) (local.get $s1))
      (f32x4.add (f32x4.add (local.get $s2) (local.get $s3)) (f32x4.add (local.get $s4) (local.get $s5))))
      (f32x4.add (f32x4.add (f32x4.add (local.get $s6) (local.get $s7)) (f32x4.add (local.get $s8) (local.get $s9)))
        (f32x4.add (local.get $s10) (local.get $s11))))))
)
