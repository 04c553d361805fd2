/** Query keys of the batch pages (list, detail) so a mutation can refresh them all. */
export const batchKeys = {
  all: ["batches"] as const,
  list: () => [...batchKeys.all, "list"] as const,
  detail: (id: string) => [...batchKeys.all, "detail", id] as const,
};
