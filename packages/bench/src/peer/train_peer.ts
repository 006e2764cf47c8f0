/**
 * The train suite's peer: tools/peer/train_torch.py, the two Keras-seed models' training step and inference
 * in PyTorch.
 */
import { workspacePath } from '../workspace.js';
import { runPeerScript, type PeerRun, type TorchPeerOptions } from './run_peer_script.js';

export const TRAIN_PEER_IMPL = 'pytorch';

export async function runTrainPeer(
  models: readonly string[],
  modes: readonly ('train-step' | 'inference')[],
  batch: number,
  shape: string,
  options: TorchPeerOptions,
): Promise<PeerRun> {
  return runPeerScript(
    {
      suite: 'train',
      impl: TRAIN_PEER_IMPL,
      cases: models.map((name) => ({ name, shape })),
      modes,
      script: workspacePath('tools/peer/train_torch.py'),
      args: ['--models', models.join(','), '--batch', String(batch), '--modes', modes.join(',')],
      imagesPerRun: batch,
    },
    options,
  );
}
