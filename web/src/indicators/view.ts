import type { View } from '../views.js';

export const view: View = {
  mount(root) {
    root.innerHTML = '<p class="hint">…</p>';
  },
};
