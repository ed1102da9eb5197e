/**
 * Stands in for SvelteKit's `$app/navigation` in the `web` vitest project (vitest.config.ts aliases
 * it here): there is no router in a Node test, so navigation does nothing unless a test mocks it.
 */
export async function goto(_url: string, _opts?: { replaceState?: boolean }): Promise<void> {}
