CREATE TABLE "bulk_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action" text NOT NULL,
	"name" text NOT NULL,
	"selection" jsonb NOT NULL,
	"results" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"run_count" integer NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "triage_acknowledgements" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"note" text NOT NULL,
	"actor" text NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "queued_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "bulk_action_id" uuid;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "fingerprint" text;--> statement-breakpoint
-- Terminal fails recorded before this migration: their failure object already has a fingerprint.
UPDATE "runs" SET "fingerprint" = "failure"->>'fingerprint' WHERE "failure" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "bulk_actions_created_at_idx" ON "bulk_actions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "artifacts_attempt_idx" ON "artifacts" USING btree ("attempt_id");--> statement-breakpoint
CREATE INDEX "attempts_started_at_idx" ON "attempts" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "runs_created_idx" ON "runs" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_fingerprint_idx" ON "runs" USING btree ("fingerprint","finished_at" DESC NULLS LAST) WHERE fingerprint is not null;