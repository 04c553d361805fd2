// Moved to lib/cases/case-list-statuses.ts (client filters import it; queries/ is server-only by lint).
export * from "../case-list-statuses";
