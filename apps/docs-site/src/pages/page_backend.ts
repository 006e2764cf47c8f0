import * as tf from '@tensorflow/tfjs';
import { renderBadge, startBackend, type SiteBackendSelection } from '../site/backend.js';
import { publish } from './hooks.js';

/**
 * Every demo page's first step: start the best backend, publish the choice on `window.inv` (for the end-to-end
 * tests) and show it in the page's badge.
 */
export async function startPageBackend(badge: HTMLElement): Promise<SiteBackendSelection> {
  const selection = await startBackend();
  publish({ selection, getBackend: () => tf.getBackend() });
  renderBadge(badge, selection);
  return selection;
}
