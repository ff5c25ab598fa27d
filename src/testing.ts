// Placeholder: the testing entry is being written (issue 5).
export {};
