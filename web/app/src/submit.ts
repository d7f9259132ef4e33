import { ref } from 'vue';

/**
 * What every form of the dashboard does around a request: busy while it runs, the error the server or the browser
 * said (cleared when a new one starts), and a result only when it worked. One place instead of a try/catch/finally
 * per component.
 */
export function useSubmit() {
  const busy = ref(false);
  const error = ref('');
  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value = true;
    error.value = '';
    try {
      return await work();
    } catch (e) {
      error.value = (e as Error).message;
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { busy, error, run };
}
