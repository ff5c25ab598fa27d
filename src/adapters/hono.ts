// Placeholder: the hono adapter is being written (issue 3).
export {};
