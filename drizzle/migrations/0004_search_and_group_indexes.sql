CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "cases_reference_trgm_idx" ON "cases" USING gin ("reference" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "runs_batch_created_idx" ON "runs" USING btree ("batch_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "runs_fingerprint_created_idx" ON "runs" USING btree ("fingerprint","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE fingerprint is not null;