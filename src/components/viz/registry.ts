import type { ModelViewFactory } from './types';

/**
 * The model views the workbench can show, by lab.yaml `visualization` name. Each is loaded on
 * demand; add a line here when a model gets a view.
 */
export const modelViews: Record<string, () => Promise<ModelViewFactory>> = {
  workqueue: () => import('./workqueue/view').then((m) => m.createWorkqueueView),
};
