import { ref, shallowRef, watch } from 'vue';
import { useSubmit } from './submit';

/** One page of a list as the API answers it (`{ items, total, limit, offset }`). */
export interface PageOf<T> {
  items: T[];
  total: number;
}

/**
 * A list paged by the server: the current page and page size, the last page loaded, and the request's busy and
 * error state. Loads again when the page or its size changes; `reset()` goes back to the first page (a filter
 * changed). Every list of the dashboard that can exceed a screen uses it with `Pager.vue`.
 */
export function usePaged<P extends PageOf<unknown>>(
  fetchPage: (limit: number, offset: number) => Promise<P>,
  pageSize = 20,
) {
  const page = ref(1);
  const size = ref(pageSize);
  const data = shallowRef<P | null>(null);
  const { busy, error, run } = useSubmit();
  async function load(): Promise<void> {
    const answer = await run(() => fetchPage(size.value, (page.value - 1) * size.value));
    if (answer) data.value = answer;
  }
  watch([page, size], () => void load());
  function reset(): void {
    if (page.value !== 1) page.value = 1;
    else void load();
  }
  return { page, size, data, busy, error, load, reset };
}
