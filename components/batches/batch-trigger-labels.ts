import type { BatchTrigger } from "@/lib/domain/vocabulary";

/** The one set of words for what started a batch. */
export const BATCH_TRIGGER_LABELS: Record<BatchTrigger, string> = {
  cron: "Nightly batch",
  manual: "Run now",
  webhook: "Urgent (CRM webhook)",
};
