import { ref } from 'vue';
import type { Session } from './api';

/** The logged-in session, shared by the pages (set by the login dialog, cleared on logout). */
export const session = ref<Session | null>(null);
