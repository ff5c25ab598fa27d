// Placeholder: payments are being written (issue 6).
export {};
