/** The op suite's peer: tools/peer/involution_torch.py, the official unfold-based involution op. */
import type { BenchMode } from '../harness/types.js';
import { describeShape, type InvolutionShape } from '../shapes/op_shapes.js';
import { workspacePath } from '../workspace.js';
import { runPeerScript, type PeerRun, type TorchPeerOptions } from './run_peer_script.js';

export const PEER_IMPL = 'pytorch-unfold';

export async function runTorchPeer(
  suite: string,
  shapes: readonly InvolutionShape[],
  options: TorchPeerOptions & { modes: readonly BenchMode[] },
): Promise<PeerRun> {
  return runPeerScript(
    {
      suite,
      impl: PEER_IMPL,
      cases: shapes.map((s) => ({ name: s.name, shape: describeShape(s) })),
      modes: options.modes,
      script: workspacePath('tools/peer/involution_torch.py'),
      args: [
        ...shapes.flatMap((s) => [
          '--case',
          [s.name, s.batch, s.height, s.width, s.channels, s.kernelSize, s.groups].join(','),
        ]),
        ...['--modes', options.modes.join(',')],
      ],
    },
    options,
  );
}
