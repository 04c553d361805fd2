CREATE TABLE "heal_runs" (
	"heal_id" uuid NOT NULL,
	"run_id" uuid NOT NULL,
	"attempt_id" uuid,
	"use" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "heal_runs_heal_id_run_id_pk" PRIMARY KEY("heal_id","run_id")
);
--> statement-breakpoint
CREATE TABLE "healing_baselines" (
	"oem_id" text NOT NULL,
	"target_id" text NOT NULL,
	"step" text NOT NULL,
	"adapter_version" text NOT NULL,
	"fingerprint" jsonb NOT NULL,
	"page_fingerprint" text NOT NULL,
	"scope_aria" text,
	"previous_fingerprints" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"run_id" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "healing_baselines_oem_id_target_id_pk" PRIMARY KEY("oem_id","target_id")
);
--> statement-breakpoint
CREATE TABLE "heals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"oem_id" text NOT NULL,
	"adapter_version" text NOT NULL,
	"status" text DEFAULT 'proposed' NOT NULL,
	"change_key" text NOT NULL,
	"changes" jsonb NOT NULL,
	"snapshots" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"proposed_by" text NOT NULL,
	"cost_usd" double precision,
	"screenshot_key" text,
	"run_id" uuid,
	"version" integer,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"reverted_by" text,
	"reverted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "llm_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"purpose" text NOT NULL,
	"oem_id" text,
	"step" text,
	"target_id" text,
	"run_id" uuid,
	"memo_key" text,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"outcome" text NOT NULL,
	"choice" integer,
	"response" jsonb,
	"input_tokens" integer,
	"output_tokens" integer,
	"cost_usd" double precision,
	"latency_ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "resolved_actions" (
	"oem_id" text NOT NULL,
	"adapter_version" text NOT NULL,
	"target_id" text NOT NULL,
	"page_fingerprint" text NOT NULL,
	"recipe" jsonb NOT NULL,
	"fingerprint" jsonb,
	"heal_id" uuid,
	"hits" integer DEFAULT 0 NOT NULL,
	"last_hit_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "resolved_actions_oem_id_adapter_version_target_id_page_fingerprint_pk" PRIMARY KEY("oem_id","adapter_version","target_id","page_fingerprint")
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD COLUMN "healing" jsonb;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "instruction" text;--> statement-breakpoint
ALTER TABLE "heal_runs" ADD CONSTRAINT "heal_runs_heal_id_heals_id_fk" FOREIGN KEY ("heal_id") REFERENCES "public"."heals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heal_runs" ADD CONSTRAINT "heal_runs_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heal_runs" ADD CONSTRAINT "heal_runs_attempt_id_attempts_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."attempts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "healing_baselines" ADD CONSTRAINT "healing_baselines_oem_id_oems_id_fk" FOREIGN KEY ("oem_id") REFERENCES "public"."oems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "healing_baselines" ADD CONSTRAINT "healing_baselines_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heals" ADD CONSTRAINT "heals_oem_id_oems_id_fk" FOREIGN KEY ("oem_id") REFERENCES "public"."oems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "heals" ADD CONSTRAINT "heals_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD CONSTRAINT "llm_calls_oem_id_oems_id_fk" FOREIGN KEY ("oem_id") REFERENCES "public"."oems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "llm_calls" ADD CONSTRAINT "llm_calls_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolved_actions" ADD CONSTRAINT "resolved_actions_oem_id_oems_id_fk" FOREIGN KEY ("oem_id") REFERENCES "public"."oems"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resolved_actions" ADD CONSTRAINT "resolved_actions_heal_id_heals_id_fk" FOREIGN KEY ("heal_id") REFERENCES "public"."heals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "heal_runs_run_idx" ON "heal_runs" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "heals_status_idx" ON "heals" USING btree ("status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "heals_oem_idx" ON "heals" USING btree ("oem_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "heals_one_proposed_per_change" ON "heals" USING btree ("oem_id","change_key") WHERE status = 'proposed';--> statement-breakpoint
CREATE UNIQUE INDEX "heals_oem_version_key" ON "heals" USING btree ("oem_id","version") WHERE version is not null;--> statement-breakpoint
CREATE INDEX "llm_calls_oem_created_idx" ON "llm_calls" USING btree ("oem_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "llm_calls_memo_idx" ON "llm_calls" USING btree ("memo_key","created_at" DESC NULLS LAST) WHERE memo_key is not null;--> statement-breakpoint
CREATE INDEX "llm_calls_run_idx" ON "llm_calls" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "resolved_actions_heal_idx" ON "resolved_actions" USING btree ("heal_id");