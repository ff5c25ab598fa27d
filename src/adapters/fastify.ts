// Placeholder: the fastify adapter is being written (issue 3).
export {};
