/** The runs table's columns (after the selection checkbox); shared by the table and its skeleton. */
export const RUN_COLUMNS = [
  { id: "case", label: "Case", className: "pl-2" },
  { id: "status", label: "Status" },
  { id: "attempts", label: "Attempts", className: "text-right" },
  { id: "batch", label: "Batch" },
  { id: "started", label: "Started" },
  { id: "finished", label: "Finished" },
  { id: "duration", label: "Duration", className: "text-right" },
  { id: "evidence", label: "Evidence", className: "pr-4" },
] as const;
