// Placeholder: the CLI is being written (issue 5).
export {};
