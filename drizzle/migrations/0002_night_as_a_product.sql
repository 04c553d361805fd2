CREATE TABLE "portal_sessions" (
	"oem_id" text NOT NULL,
	"slot" integer NOT NULL,
	"worker_id" text NOT NULL,
	"run_id" uuid,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "portal_sessions_oem_id_slot_pk" PRIMARY KEY("oem_id","slot")
);
--> statement-breakpoint
CREATE TABLE "recipe_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"recipe" jsonb NOT NULL,
	"author" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "schedule_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"enabled" boolean NOT NULL,
	"time" text NOT NULL,
	"time_zone" text NOT NULL,
	"deadline" text NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "recipe_version" integer;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "night_key" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "backfilled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "late" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "at_risk_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "created_by" text DEFAULT 'system' NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "cancelled_by" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "digest" jsonb;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "digest_built_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "met_sla" boolean;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "crm_priority" text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "dry_run" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_oem_id_oems_id_fk" FOREIGN KEY ("oem_id") REFERENCES "public"."oems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "portal_sessions" ADD CONSTRAINT "portal_sessions_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "portal_sessions_worker_idx" ON "portal_sessions" USING btree ("worker_id");--> statement-breakpoint
CREATE UNIQUE INDEX "batches_night_key_key" ON "batches" USING btree ("night_key") WHERE night_key is not null;