import type { View } from '../views.js';

export const page: View = {
  mount(root) {
    root.innerHTML = '<p class="hint">…</p>';
  },
};
