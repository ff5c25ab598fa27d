// Placeholder: the nestjs adapter is being written (issue 3).
export {};
