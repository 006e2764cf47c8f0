;; Involution kernels in WebAssembly SIMD (128-bit). The module imports the memory it works on (the tfjs wasm
;; backend's heap, in place; or a memory of its own holding copies, for cpu) and is given byte addresses of the
;; tensors, of the tap tables (built by taps.ts) and of its scratch area. It owns no memory and no data
;; segments: it must never write outside the output and the scratch it is given.
;;
;; Tap tables (all entries in bytes): for each position a along an axis, its in-image taps are the entries
;; [start[a], start[a+1]) of `source` (offset into the tensor read) and `weight` (offset into the kernel
;; tensor); a row entry plus a column entry is a full offset. Every kernel writes its outputs in increasing
;; address order.
;;
;; Assemble with `pnpm --filter @inv/core assemble-wasm` (scripts/assemble-wasm.mjs), which regenerates
;; involution_wasm.ts.
(module
  (import "env" "memory" (memory 0))

  ;; out[b, a, e, c] = sum over the taps of (a, e) of weights[tap weight + g(c)] * source[tap source + c],
  ;; contiguous groups (channels [g*Cg, (g+1)*Cg) use weight g). The forward pass (source x, positions the
  ;; output pixels) and the input gradient (source dy, positions the input pixels: a gather, no scatter).
  ;; Channels go 16 at a time (four vectors) while a group has 16 left, then 4 at a time; lanes of a last,
  ;; partial block belong to later channels (or pixels), which are written afterwards with their own values,
  ;; so those lanes are stored as garbage and rewritten, except past `outEnd`, where only the lanes before it
  ;; are stored.
  (func $gather (export "gather")
    (param $source i32) (param $weights i32) (param $out i32) (param $outEnd i32)
    (param $rowStart i32) (param $rowSource i32) (param $rowWeight i32)
    (param $colStart i32) (param $colSource i32) (param $colWeight i32)
    (param $batch i32) (param $rows i32) (param $cols i32) (param $groups i32) (param $groupBytes i32)
    (param $sourceBatchBytes i32) (param $weightBatchBytes i32)
    (param $blockFrom i32) (param $blockTo i32) (param $pixelWeightBytes i32)
    (local $b i32) (local $a i32) (local $e i32) (local $g i32) (local $n i32)
    (local $r i32) (local $r0 i32) (local $r1 i32) (local $rBegin i32) (local $q i32) (local $q0 i32)
    (local $q1 i32) (local $pixel i32) (local $sourceGroup i32) (local $weightGroup i32)
    (local $sourceRow i32) (local $weightRow i32) (local $at i32) (local $dst i32)
    (local $w v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $pixel (local.get $out))
    (block $batchesDone (loop $batchLoop
      (br_if $batchesDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $a (i32.const 0))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $rows)))
        (local.set $r0 (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $r1 (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $e (i32.const 0))
        (block $colsDone (loop $colLoop
          (br_if $colsDone (i32.ge_u (local.get $e) (local.get $cols)))
          (local.set $q0 (i32.load (i32.add (local.get $colStart) (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $q1 (i32.load offset=4 (i32.add (local.get $colStart) (i32.shl (local.get $e) (i32.const 2)))))
          ;; No column taps (a pixel no output reads, or padding beyond the kernel): no rows either, empty sums.
          (local.set $rBegin (select (local.get $r0) (local.get $r1) (i32.lt_u (local.get $q0) (local.get $q1))))
          ;; Four pixels at once where the caller says their taps are the same, shifted (see $gatherBlock3).
          (if (i32.and (i32.ge_u (local.get $e) (local.get $blockFrom))
              (i32.le_u (i32.add (local.get $e) (i32.const 4)) (local.get $blockTo))) (then
            (call $gatherBlock3 (local.get $source) (local.get $weights) (local.get $pixel) (local.get $rBegin)
              (local.get $r1) (local.get $q0) (local.get $q1) (local.get $rowSource) (local.get $rowWeight)
              (local.get $colSource) (local.get $colWeight) (local.get $pixelWeightBytes))
            (local.set $pixel (i32.add (local.get $pixel) (i32.const 48)))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $colLoop)))
          (local.set $g (i32.const 0))
          (loop $groupLoop
            (local.set $sourceGroup (i32.add (local.get $source) (i32.mul (local.get $g) (local.get $groupBytes))))
            (local.set $weightGroup (i32.add (local.get $weights) (i32.shl (local.get $g) (i32.const 2))))
            (local.set $dst (i32.add (local.get $pixel) (i32.mul (local.get $g) (local.get $groupBytes))))
            (local.set $n (i32.const 0))
            ;; 16 channels at a time.
            (block $wideDone (loop $wideLoop
              (br_if $wideDone (i32.gt_u (i32.add (local.get $n) (i32.const 64)) (local.get $groupBytes)))
              (local.set $acc0 (v128.const i32x4 0 0 0 0))
              (local.set $acc1 (v128.const i32x4 0 0 0 0))
              (local.set $acc2 (v128.const i32x4 0 0 0 0))
              (local.set $acc3 (v128.const i32x4 0 0 0 0))
              (local.set $r (local.get $rBegin))
              (if (i32.lt_u (local.get $r) (local.get $r1)) (then (loop $tapRowLoop
                (local.set $sourceRow (i32.add (i32.add (local.get $sourceGroup) (local.get $n))
                  (i32.load (i32.add (local.get $rowSource) (local.get $r)))))
                (local.set $weightRow (i32.add (local.get $weightGroup)
                  (i32.load (i32.add (local.get $rowWeight) (local.get $r)))))
                (local.set $q (local.get $q0))
                (loop $tapColLoop
                  (local.set $w (v128.load32_splat (i32.add (local.get $weightRow)
                    (i32.load (i32.add (local.get $colWeight) (local.get $q))))))
                  (local.set $at (i32.add (local.get $sourceRow) (i32.load (i32.add (local.get $colSource) (local.get $q)))))
                  (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $w) (v128.load (local.get $at)))))
                  (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $at)))))
                  (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $at)))))
                  (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $at)))))
                  (local.set $q (i32.add (local.get $q) (i32.const 4)))
                  (br_if $tapColLoop (i32.lt_u (local.get $q) (local.get $q1))))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br_if $tapRowLoop (i32.lt_u (local.get $r) (local.get $r1))))))
              (v128.store (i32.add (local.get $dst) (local.get $n)) (local.get $acc0))
              (v128.store offset=16 (i32.add (local.get $dst) (local.get $n)) (local.get $acc1))
              (v128.store offset=32 (i32.add (local.get $dst) (local.get $n)) (local.get $acc2))
              (v128.store offset=48 (i32.add (local.get $dst) (local.get $n)) (local.get $acc3))
              (local.set $n (i32.add (local.get $n) (i32.const 64)))
              (br $wideLoop)))
            ;; 4 channels at a time; the last block may be partial.
            (block $narrowDone (loop $narrowLoop
              (br_if $narrowDone (i32.ge_u (local.get $n) (local.get $groupBytes)))
              (local.set $acc0 (v128.const i32x4 0 0 0 0))
              (local.set $r (local.get $rBegin))
              (if (i32.lt_u (local.get $r) (local.get $r1)) (then (loop $tapRowLoop
                (local.set $sourceRow (i32.add (i32.add (local.get $sourceGroup) (local.get $n))
                  (i32.load (i32.add (local.get $rowSource) (local.get $r)))))
                (local.set $weightRow (i32.add (local.get $weightGroup)
                  (i32.load (i32.add (local.get $rowWeight) (local.get $r)))))
                (local.set $q (local.get $q0))
                (loop $tapColLoop
                  (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
                    (v128.load32_splat (i32.add (local.get $weightRow)
                      (i32.load (i32.add (local.get $colWeight) (local.get $q)))))
                    (v128.load (i32.add (local.get $sourceRow)
                      (i32.load (i32.add (local.get $colSource) (local.get $q))))))))
                  (local.set $q (i32.add (local.get $q) (i32.const 4)))
                  (br_if $tapColLoop (i32.lt_u (local.get $q) (local.get $q1))))
                (local.set $r (i32.add (local.get $r) (i32.const 4)))
                (br_if $tapRowLoop (i32.lt_u (local.get $r) (local.get $r1))))))
              (local.set $at (i32.add (local.get $dst) (local.get $n)))
              (if (i32.le_u (i32.add (local.get $at) (i32.const 16)) (local.get $outEnd))
                (then (v128.store (local.get $at) (local.get $acc0)))
                (else
                  ;; The output's last block: only its lanes before outEnd (at most three).
                  (if (i32.lt_u (local.get $at) (local.get $outEnd))
                    (then (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $acc0)))))
                  (if (i32.lt_u (i32.add (local.get $at) (i32.const 4)) (local.get $outEnd))
                    (then (f32.store offset=4 (local.get $at) (f32x4.extract_lane 1 (local.get $acc0)))))
                  (if (i32.lt_u (i32.add (local.get $at) (i32.const 8)) (local.get $outEnd))
                    (then (f32.store offset=8 (local.get $at) (f32x4.extract_lane 2 (local.get $acc0)))))))
              (local.set $n (i32.add (local.get $n) (i32.const 16)))
              (br $narrowLoop)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br_if $groupLoop (i32.lt_u (local.get $g) (local.get $groups))))
          (local.set $pixel (i32.add (local.get $pixel) (i32.mul (local.get $groups) (local.get $groupBytes))))
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (br $colLoop)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rowLoop)))
      (local.set $source (i32.add (local.get $source) (local.get $sourceBatchBytes)))
      (local.set $weights (i32.add (local.get $weights) (local.get $weightBatchBytes)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batchLoop))))

  ;; $gather for four consecutive pixels of one group of 3 channels (an RGB input: a pixel is 3/4 of a vector,
  ;; so one pixel at a time leaves a lane idle and pays the tables for 3 multiplies). Their 12 outputs are three
  ;; vectors; for columns whose taps are those of the first column shifted (stride 1, all taps in the image:
  ;; [blockFrom, blockTo) of $gather), tap q of pixel k reads source 12k bytes and weights k*pixelWeightBytes
  ;; bytes past pixel 0's. The four weights of a tap go into one vector, spread over the lanes by shuffles.
  ;; The sums are the ones $gather makes (same taps, same order, same rounding), bit for bit.
  (func $gatherBlock3
    (param $source i32) (param $weights i32) (param $dst i32) (param $r i32) (param $r1 i32) (param $q0 i32)
    (param $q1 i32) (param $rowSource i32) (param $rowWeight i32) (param $colSource i32) (param $colWeight i32)
    (param $P i32)
    (local $q i32) (local $s i32) (local $w i32) (local $sourceRow i32) (local $weightRow i32)
    (local $wv v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128)
    (if (i32.lt_u (local.get $r) (local.get $r1)) (then (loop $tapRowLoop
      (local.set $sourceRow (i32.add (local.get $source) (i32.load (i32.add (local.get $rowSource) (local.get $r)))))
      (local.set $weightRow (i32.add (local.get $weights) (i32.load (i32.add (local.get $rowWeight) (local.get $r)))))
      (local.set $q (local.get $q0))
      (loop $tapColLoop
        (local.set $s (i32.add (local.get $sourceRow) (i32.load (i32.add (local.get $colSource) (local.get $q)))))
        (local.set $w (i32.add (local.get $weightRow) (i32.load (i32.add (local.get $colWeight) (local.get $q)))))
        (local.set $wv (v128.load32_zero (local.get $w)))
        (local.set $wv (v128.load32_lane 1 (i32.add (local.get $w) (local.get $P)) (local.get $wv)))
        (local.set $wv (v128.load32_lane 2 (i32.add (local.get $w) (i32.shl (local.get $P) (i32.const 1)))
          (local.get $wv)))
        (local.set $wv (v128.load32_lane 3 (i32.add (local.get $w) (i32.mul (local.get $P) (i32.const 3)))
          (local.get $wv)))
        ;; Lanes of pixels 0 0 0 1, 1 1 2 2, 2 3 3 3.
        (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul
          (i8x16.shuffle 0 1 2 3 0 1 2 3 0 1 2 3 4 5 6 7 (local.get $wv) (local.get $wv))
          (v128.load (local.get $s)))))
        (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul
          (i8x16.shuffle 4 5 6 7 4 5 6 7 8 9 10 11 8 9 10 11 (local.get $wv) (local.get $wv))
          (v128.load offset=16 (local.get $s)))))
        (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul
          (i8x16.shuffle 8 9 10 11 12 13 14 15 12 13 14 15 12 13 14 15 (local.get $wv) (local.get $wv))
          (v128.load offset=32 (local.get $s)))))
        (local.set $q (i32.add (local.get $q) (i32.const 4)))
        (br_if $tapColLoop (i32.lt_u (local.get $q) (local.get $q1))))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br_if $tapRowLoop (i32.lt_u (local.get $r) (local.get $r1))))))
    (v128.store (local.get $dst) (local.get $acc0))
    (v128.store offset=16 (local.get $dst) (local.get $acc1))
    (v128.store offset=32 (local.get $dst) (local.get $acc2)))

  ;; dkernel[b, i, j, t, g] = sum over the channels c of group g of x[tap t of (i, j), c] * dy[b, i, j, c]
  ;; (contiguous groups), 0 for taps outside the image. The taps of an output pixel come as a list of
  ;; (x offset, dkernel offset) pairs, padded to a multiple of four by repeating the last (same value, same
  ;; address): for a pixel whose K*K taps are all in the image, `interiorTaps` (offsets from its top-left
  ;; tap and from its dkernel block); for the others, its in-image taps listed into `borderTaps` (absolute
  ;; addresses) after zeroing its dkernel block. Four taps go at a time for each group: four dot products over
  ;; the group's channels, summed across lanes by one transpose-add, stored lane by lane (the taps' dkernel
  ;; entries are G apart). A partial vector of channels is masked so lanes of other channels add exactly 0,
  ;; whatever they hold.
  (func $kernelGradient (export "kernelGradient")
    (param $x i32) (param $dy i32) (param $dkernel i32)
    (param $rowStart i32) (param $rowSource i32) (param $rowWeight i32)
    (param $colStart i32) (param $colSource i32) (param $colWeight i32) (param $interiorTaps i32)
    (param $batch i32) (param $rows i32) (param $cols i32) (param $groups i32) (param $groupBytes i32)
    (param $xBatchBytes i32) (param $dkernelBatchBytes i32) (param $taps i32) (param $borderTaps i32)
    (param $blockFrom i32) (param $blockTo i32)
    (local $b i32) (local $a i32) (local $e i32) (local $g i32) (local $c i32)
    (local $r i32) (local $r0 i32) (local $r1 i32) (local $q i32) (local $q0 i32) (local $q1 i32)
    (local $xRow i32) (local $kRow i32) (local $list i32) (local $listEnd i32) (local $tap i32)
    (local $xBase i32) (local $kBase i32) (local $xGroup i32) (local $kGroup i32)
    (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $dyPixel i32) (local $dyGroup i32) (local $dkernelPixel i32) (local $pixelBlockBytes i32)
    (local $interiorEnd i32) (local $fullBytes i32)
    (local $mask v128) (local $d v128) (local $sum v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $dyPixel (local.get $dy))
    (local.set $dkernelPixel (local.get $dkernel))
    (local.set $pixelBlockBytes (i32.mul (i32.mul (local.get $taps) (local.get $groups)) (i32.const 4)))
    ;; Pairs of 8 bytes, a multiple of four pairs.
    (local.set $interiorEnd (i32.add (local.get $interiorTaps)
      (i32.shl (i32.and (i32.add (local.get $taps) (i32.const 3)) (i32.const -4)) (i32.const 3))))
    ;; Whole vectors of a group, then a partial one whose lanes [0, Cg mod 4) count.
    (local.set $fullBytes (i32.and (local.get $groupBytes) (i32.const -16)))
    (local.set $mask (i32x4.gt_s
      (i32x4.splat (i32.shr_u (i32.and (local.get $groupBytes) (i32.const 15)) (i32.const 2)))
      (v128.const i32x4 0 1 2 3)))
    (block $batchesDone (loop $batchLoop
      (br_if $batchesDone (i32.ge_u (local.get $b) (local.get $batch)))
      (local.set $a (i32.const 0))
      (block $rowsDone (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $a) (local.get $rows)))
        (local.set $r0 (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $r1 (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $a) (i32.const 2)))))
        (local.set $e (i32.const 0))
        (block $colsDone (loop $colLoop
          (br_if $colsDone (i32.ge_u (local.get $e) (local.get $cols)))
          (local.set $q0 (i32.load (i32.add (local.get $colStart) (i32.shl (local.get $e) (i32.const 2)))))
          (local.set $q1 (i32.load offset=4 (i32.add (local.get $colStart) (i32.shl (local.get $e) (i32.const 2)))))
          ;; Four interior pixels at once where the caller allows (see $kernelGradientBlock3).
          (if (i32.and (i32.and (i32.ge_u (local.get $e) (local.get $blockFrom))
                (i32.le_u (i32.add (local.get $e) (i32.const 4)) (local.get $blockTo)))
              (i32.eq (i32.mul (i32.shr_u (i32.sub (local.get $r1) (local.get $r0)) (i32.const 2))
                               (i32.shr_u (i32.sub (local.get $q1) (local.get $q0)) (i32.const 2)))
                      (local.get $taps))) (then
            (call $kernelGradientBlock3
              (i32.add (i32.add (local.get $x) (i32.load (i32.add (local.get $rowSource) (local.get $r0))))
                (i32.load (i32.add (local.get $colSource) (local.get $q0))))
              (local.get $dyPixel) (local.get $dkernelPixel) (local.get $interiorTaps)
              (i32.add (local.get $interiorTaps) (i32.shl (local.get $taps) (i32.const 3)))
              (local.get $pixelBlockBytes))
            (local.set $dyPixel (i32.add (local.get $dyPixel) (i32.const 48)))
            (local.set $dkernelPixel (i32.add (local.get $dkernelPixel) (i32.shl (local.get $pixelBlockBytes) (i32.const 2))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $colLoop)))
          ;; In-image taps: rows times columns (table entries are 4 bytes).
          (if (i32.eq (i32.mul (i32.shr_u (i32.sub (local.get $r1) (local.get $r0)) (i32.const 2))
                               (i32.shr_u (i32.sub (local.get $q1) (local.get $q0)) (i32.const 2)))
                      (local.get $taps))
            (then
              (local.set $list (local.get $interiorTaps))
              (local.set $listEnd (local.get $interiorEnd))
              (local.set $xBase (i32.add (i32.add (local.get $x) (i32.load (i32.add (local.get $rowSource) (local.get $r0))))
                (i32.load (i32.add (local.get $colSource) (local.get $q0)))))
              (local.set $kBase (local.get $dkernelPixel)))
            (else
              (memory.fill (local.get $dkernelPixel) (i32.const 0) (local.get $pixelBlockBytes))
              (local.set $list (local.get $borderTaps))
              (local.set $listEnd (local.get $borderTaps))
              (local.set $xBase (i32.const 0))
              (local.set $kBase (i32.const 0))
              (if (i32.and (i32.lt_u (local.get $r0) (local.get $r1)) (i32.lt_u (local.get $q0) (local.get $q1)))
                (then
                  (local.set $r (local.get $r0))
                  (loop $listRowLoop
                    (local.set $xRow (i32.add (local.get $x) (i32.load (i32.add (local.get $rowSource) (local.get $r)))))
                    (local.set $kRow (i32.add (local.get $dkernel) (i32.load (i32.add (local.get $rowWeight) (local.get $r)))))
                    (local.set $q (local.get $q0))
                    (loop $listColLoop
                      (i32.store (local.get $listEnd)
                        (i32.add (local.get $xRow) (i32.load (i32.add (local.get $colSource) (local.get $q)))))
                      (i32.store offset=4 (local.get $listEnd)
                        (i32.add (local.get $kRow) (i32.load (i32.add (local.get $colWeight) (local.get $q)))))
                      (local.set $listEnd (i32.add (local.get $listEnd) (i32.const 8)))
                      (local.set $q (i32.add (local.get $q) (i32.const 4)))
                      (br_if $listColLoop (i32.lt_u (local.get $q) (local.get $q1))))
                    (local.set $r (i32.add (local.get $r) (i32.const 4)))
                    (br_if $listRowLoop (i32.lt_u (local.get $r) (local.get $r1))))
                  ;; Pad to a multiple of four pairs with copies of the last.
                  (block $padded (loop $padLoop
                    (br_if $padded (i32.eqz (i32.and (i32.sub (local.get $listEnd) (local.get $list)) (i32.const 31))))
                    (i64.store (local.get $listEnd) (i64.load (i32.sub (local.get $listEnd) (i32.const 8))))
                    (local.set $listEnd (i32.add (local.get $listEnd) (i32.const 8)))
                    (br $padLoop)))))))
          (if (i32.lt_u (local.get $list) (local.get $listEnd)) (then
            (local.set $g (i32.const 0))
            (loop $groupLoop
              (local.set $xGroup (i32.add (local.get $xBase) (i32.mul (local.get $g) (local.get $groupBytes))))
              (local.set $kGroup (i32.add (local.get $kBase) (i32.shl (local.get $g) (i32.const 2))))
              (local.set $dyGroup (i32.add (local.get $dyPixel) (i32.mul (local.get $g) (local.get $groupBytes))))
              (local.set $tap (local.get $list))
              (loop $tapLoop
                (local.set $x0 (i32.add (local.get $xGroup) (i32.load (local.get $tap))))
                (local.set $x1 (i32.add (local.get $xGroup) (i32.load offset=8 (local.get $tap))))
                (local.set $x2 (i32.add (local.get $xGroup) (i32.load offset=16 (local.get $tap))))
                (local.set $x3 (i32.add (local.get $xGroup) (i32.load offset=24 (local.get $tap))))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (local.set $acc1 (v128.const i32x4 0 0 0 0))
                (local.set $acc2 (v128.const i32x4 0 0 0 0))
                (local.set $acc3 (v128.const i32x4 0 0 0 0))
                (local.set $c (i32.const 0))
                (block $fullDone (loop $fullLoop
                  (br_if $fullDone (i32.ge_u (local.get $c) (local.get $fullBytes)))
                  (local.set $d (v128.load (i32.add (local.get $dyGroup) (local.get $c))))
                  (local.set $acc0 (f32x4.add (local.get $acc0)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x0) (local.get $c))))))
                  (local.set $acc1 (f32x4.add (local.get $acc1)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x1) (local.get $c))))))
                  (local.set $acc2 (f32x4.add (local.get $acc2)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x2) (local.get $c))))))
                  (local.set $acc3 (f32x4.add (local.get $acc3)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x3) (local.get $c))))))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br $fullLoop)))
                (if (i32.lt_u (local.get $c) (local.get $groupBytes)) (then
                  (local.set $d (v128.load (i32.add (local.get $dyGroup) (local.get $c))))
                  (local.set $acc0 (f32x4.add (local.get $acc0) (v128.and (local.get $mask)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x0) (local.get $c)))))))
                  (local.set $acc1 (f32x4.add (local.get $acc1) (v128.and (local.get $mask)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x1) (local.get $c)))))))
                  (local.set $acc2 (f32x4.add (local.get $acc2) (v128.and (local.get $mask)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x2) (local.get $c)))))))
                  (local.set $acc3 (f32x4.add (local.get $acc3) (v128.and (local.get $mask)
                    (f32x4.mul (local.get $d) (v128.load (i32.add (local.get $x3) (local.get $c)))))))))
                ;; Transpose-add: lane k of $sum is the sum of the four lanes of acc k.
                (local.set $acc0 (f32x4.add
                  (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $acc0) (local.get $acc1))
                  (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $acc0) (local.get $acc1))))
                (local.set $acc2 (f32x4.add
                  (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $acc2) (local.get $acc3))
                  (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $acc2) (local.get $acc3))))
                (local.set $sum (f32x4.add
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $acc0) (local.get $acc2))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $acc0) (local.get $acc2))))
                (f32.store (i32.add (local.get $kGroup) (i32.load offset=4 (local.get $tap)))
                  (f32x4.extract_lane 0 (local.get $sum)))
                (f32.store (i32.add (local.get $kGroup) (i32.load offset=12 (local.get $tap)))
                  (f32x4.extract_lane 1 (local.get $sum)))
                (f32.store (i32.add (local.get $kGroup) (i32.load offset=20 (local.get $tap)))
                  (f32x4.extract_lane 2 (local.get $sum)))
                (f32.store (i32.add (local.get $kGroup) (i32.load offset=28 (local.get $tap)))
                  (f32x4.extract_lane 3 (local.get $sum)))
                (local.set $tap (i32.add (local.get $tap) (i32.const 32)))
                (br_if $tapLoop (i32.lt_u (local.get $tap) (local.get $listEnd))))
              (local.set $g (i32.add (local.get $g) (i32.const 1)))
              (br_if $groupLoop (i32.lt_u (local.get $g) (local.get $groups))))))
          (local.set $dyPixel (i32.add (local.get $dyPixel) (i32.mul (local.get $groups) (local.get $groupBytes))))
          (local.set $dkernelPixel (i32.add (local.get $dkernelPixel) (local.get $pixelBlockBytes)))
          (local.set $e (i32.add (local.get $e) (i32.const 1)))
          (br $colLoop)))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $rowLoop)))
      (local.set $x (i32.add (local.get $x) (local.get $xBatchBytes)))
      (local.set $dkernel (i32.add (local.get $dkernel) (local.get $dkernelBatchBytes)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $batchLoop))))

  ;; $kernelGradient for four consecutive interior pixels of one group of 3 channels (an RGB input): their dy
  ;; is three vectors, tap t's x the three at x + its interior offset (pixel k 12k bytes on), the products of a
  ;; pixel's channels gathered into lanes by shuffles and summed as $kernelGradient sums them (channel 0 + 2,
  ;; then + 1), stored lane k at the tap's dkernel offset + k*P. Taps [tap, end) of the interior list.
  (func $kernelGradientBlock3 (param $x i32) (param $dy i32) (param $dk i32) (param $tap i32) (param $end i32)
    (param $P i32)
    (local $s i32) (local $k i32) (local $d0 v128) (local $d1 v128) (local $d2 v128)
    (local $p0 v128) (local $p1 v128) (local $p2 v128) (local $sum v128)
    (local.set $d0 (v128.load (local.get $dy)))
    (local.set $d1 (v128.load offset=16 (local.get $dy)))
    (local.set $d2 (v128.load offset=32 (local.get $dy)))
    (loop $taps
      (local.set $s (i32.add (local.get $x) (i32.load (local.get $tap))))
      ;; Lanes (pixel.channel): p0 0.0 0.1 0.2 1.0, p1 1.1 1.2 2.0 2.1, p2 2.2 3.0 3.1 3.2.
      (local.set $p0 (f32x4.mul (local.get $d0) (v128.load (local.get $s))))
      (local.set $p1 (f32x4.mul (local.get $d1) (v128.load offset=16 (local.get $s))))
      (local.set $p2 (f32x4.mul (local.get $d2) (v128.load offset=32 (local.get $s))))
      (local.set $sum (f32x4.add
        (f32x4.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 20 21 22 23
            (i8x16.shuffle 0 1 2 3 12 13 14 15 24 25 26 27 24 25 26 27 (local.get $p0) (local.get $p1))
            (local.get $p2))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 28 29 30 31
            (i8x16.shuffle 8 9 10 11 20 21 22 23 20 21 22 23 20 21 22 23 (local.get $p0) (local.get $p1))
            (local.get $p2)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 24 25 26 27
          (i8x16.shuffle 4 5 6 7 16 17 18 19 28 29 30 31 28 29 30 31 (local.get $p0) (local.get $p1))
          (local.get $p2))))
      (local.set $k (i32.add (local.get $dk) (i32.load offset=4 (local.get $tap))))
      (v128.store32_lane 0 (local.get $k) (local.get $sum))
      (v128.store32_lane 1 (i32.add (local.get $k) (local.get $P)) (local.get $sum))
      (v128.store32_lane 2 (i32.add (local.get $k) (i32.shl (local.get $P) (i32.const 1))) (local.get $sum))
      (v128.store32_lane 3 (i32.add (local.get $k) (i32.mul (local.get $P) (i32.const 3))) (local.get $sum))
      (local.set $tap (i32.add (local.get $tap) (i32.const 8)))
      (br_if $taps (i32.lt_u (local.get $tap) (local.get $end)))))

  ;; The two exports as tasks of a job split over threads, `(task, args, scratch)`: task t is image t (every
  ;; output is per image, so the tasks write disjoint blocks, each masked at its own end). args: the export's
  ;; parameters as i32 words, in order (kernelGradient's last, its border-tap list, is the task's scratch).
  (func (export "gatherTask") (param $task i32) (param $args i32) (param $scratch i32)
    (local $outBytes i32) (local $out i32)
    ;; An image's output: rows · cols pixels of groups · groupBytes.
    (local.set $outBytes (i32.mul (i32.mul (i32.load offset=44 (local.get $args)) (i32.load offset=48 (local.get $args)))
      (i32.mul (i32.load offset=52 (local.get $args)) (i32.load offset=56 (local.get $args)))))
    (local.set $out (i32.add (i32.load offset=8 (local.get $args)) (i32.mul (local.get $task) (local.get $outBytes))))
    (call $gather
      (i32.add (i32.load (local.get $args)) (i32.mul (local.get $task) (i32.load offset=60 (local.get $args))))
      (i32.add (i32.load offset=4 (local.get $args)) (i32.mul (local.get $task) (i32.load offset=64 (local.get $args))))
      (local.get $out)
      (i32.add (local.get $out) (local.get $outBytes))
      (i32.load offset=16 (local.get $args)) (i32.load offset=20 (local.get $args)) (i32.load offset=24 (local.get $args))
      (i32.load offset=28 (local.get $args)) (i32.load offset=32 (local.get $args)) (i32.load offset=36 (local.get $args))
      (i32.const 1)
      (i32.load offset=44 (local.get $args)) (i32.load offset=48 (local.get $args)) (i32.load offset=52 (local.get $args))
      (i32.load offset=56 (local.get $args)) (i32.load offset=60 (local.get $args)) (i32.load offset=64 (local.get $args))
      (i32.load offset=68 (local.get $args)) (i32.load offset=72 (local.get $args)) (i32.load offset=76 (local.get $args))))

  (func (export "kernelGradientTask") (param $task i32) (param $args i32) (param $scratch i32)
    (call $kernelGradient
      (i32.add (i32.load (local.get $args)) (i32.mul (local.get $task) (i32.load offset=60 (local.get $args))))
      ;; dy per image: rows · cols pixels of groups · groupBytes.
      (i32.add (i32.load offset=4 (local.get $args))
        (i32.mul (local.get $task)
          (i32.mul (i32.mul (i32.load offset=44 (local.get $args)) (i32.load offset=48 (local.get $args)))
            (i32.mul (i32.load offset=52 (local.get $args)) (i32.load offset=56 (local.get $args))))))
      (i32.add (i32.load offset=8 (local.get $args)) (i32.mul (local.get $task) (i32.load offset=64 (local.get $args))))
      (i32.load offset=12 (local.get $args)) (i32.load offset=16 (local.get $args)) (i32.load offset=20 (local.get $args))
      (i32.load offset=24 (local.get $args)) (i32.load offset=28 (local.get $args)) (i32.load offset=32 (local.get $args))
      (i32.load offset=36 (local.get $args))
      (i32.const 1)
      (i32.load offset=44 (local.get $args)) (i32.load offset=48 (local.get $args)) (i32.load offset=52 (local.get $args))
      (i32.load offset=56 (local.get $args)) (i32.load offset=60 (local.get $args)) (i32.load offset=64 (local.get $args))
      (i32.load offset=68 (local.get $args)) (local.get $scratch)
      (i32.load offset=76 (local.get $args)) (i32.load offset=80 (local.get $args))))
)
