// Placeholder: the client entry is being written (issue 5).
export {};
