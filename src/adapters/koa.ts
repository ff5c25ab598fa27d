// Placeholder: the koa adapter is being written (issue 3).
export {};
