// Placeholder: the next adapter is being written (issue 3).
export {};
