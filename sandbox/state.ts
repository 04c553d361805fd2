// In-memory sandbox state (CRM cases, idempotency records, portal filings) with optional
// persistence to a JSON file: atomic write (temp file + rename), debounced.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { CASE_KINDS, CASE_STATUSES, OEM_IDS, type CaseKind, type CaseStatus, type OemId } from "./domain.js";

export interface CrmNote {
  id: string;
  body: string;
  kind: string;
  createdAt: string;
}

export interface CrmCase {
  id: string;
  /** Human case reference, carried into every portal filing. */
  reference: string;
  oem: OemId;
  kind: CaseKind;
  status: CaseStatus;
  confirmationNumber: string | null;
  statusMessage: string | null;
  priority: "normal" | "urgent";
  unit: { id: string; model: string; year: number | null };
  contact: { name: string; email: string; phone: string };
  incidentDate: string;
  description: string;
  usage: { value: number; unit: "km" | "hours" | "cycles" };
  category: string;
  acknowledgement: boolean;
  redactionSensitive: boolean;
  createdAt: string;
  updatedAt: string;
  notes: CrmNote[];
}

export interface IdempotencyRecord {
  key: string;
  fingerprint: string;
  status: number;
  body: unknown;
  createdAt: string;
}

export type CrmWriteOutcome = "applied" | "replayed" | "conflict" | "invalid" | "not_found" | "unauthorized" | "fault";

/** Every write request the CRM received, including replays and refused ones. */
export interface CrmWrite {
  seq: number;
  receivedAt: string;
  method: string;
  path: string;
  caseId: string | null;
  idempotencyKey: string | null;
  body: unknown;
  status: number;
  outcome: CrmWriteOutcome;
  tookEffect: boolean;
}

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  status: number | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  /** Also the `webhook-id` header; identical across retries. */
  id: string;
  type: "case.created" | "case.updated" | "case.urgent";
  caseId: string;
  url: string;
  payload: string;
  state: "pending" | "delivered" | "failed" | "cancelled";
  attempts: DeliveryAttempt[];
  createdAt: string;
  nextAttemptAt: string | null;
}

export interface FilingDocument {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface Filing {
  id: string;
  oem: OemId;
  reference: string;
  confirmationNumber: string;
  filedAt: string;
  unitId: string;
  kind: string;
  username: string;
  fields: Record<string, string>;
  document: FilingDocument | null;
  /** Confirmation number of the earlier filing with the same reference, when this is a duplicate. */
  duplicateOf: string | null;
}

const persistedSchema = z.object({
  version: z.literal(1),
  caseSeq: z.number().int(),
  cases: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      oem: z.enum(OEM_IDS),
      kind: z.enum(CASE_KINDS),
      status: z.enum(CASE_STATUSES),
      confirmationNumber: z.string().nullable(),
      statusMessage: z.string().nullable(),
      priority: z.enum(["normal", "urgent"]),
      unit: z.object({ id: z.string(), model: z.string(), year: z.number().nullable() }),
      contact: z.object({ name: z.string(), email: z.string(), phone: z.string() }),
      incidentDate: z.string(),
      description: z.string(),
      usage: z.object({ value: z.number(), unit: z.enum(["km", "hours", "cycles"]) }),
      category: z.string(),
      acknowledgement: z.boolean(),
      redactionSensitive: z.boolean(),
      createdAt: z.string(),
      updatedAt: z.string(),
      notes: z.array(z.object({ id: z.string(), body: z.string(), kind: z.string(), createdAt: z.string() })),
    }),
  ),
  idempotency: z.array(
    z.object({ key: z.string(), fingerprint: z.string(), status: z.number(), body: z.unknown(), createdAt: z.string() }),
  ),
  filings: z.array(
    z.object({
      id: z.string(),
      oem: z.enum(OEM_IDS),
      reference: z.string(),
      confirmationNumber: z.string(),
      filedAt: z.string(),
      unitId: z.string(),
      kind: z.string(),
      username: z.string(),
      fields: z.record(z.string(), z.string()),
      document: z
        .object({ filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() })
        .nullable(),
      duplicateOf: z.string().nullable(),
    }),
  ),
  corvidUnits: z.array(z.object({ id: z.string(), model: z.string(), site: z.string(), installedOn: z.string() })),
});

export interface CorvidUnit {
  id: string;
  model: string;
  site: string;
  installedOn: string;
}

/** The whole mutable sandbox state. Transient parts (writes, deliveries) are not persisted. */
export class SandboxState {
  caseSeq = 100;
  cases = new Map<string, CrmCase>();
  idempotency = new Map<string, IdempotencyRecord>();
  filings: Filing[] = [];
  corvidUnits = new Map<string, CorvidUnit>();
  writes: CrmWrite[] = [];
  deliveries: WebhookDelivery[] = [];
  private writeSeq = 0;

  clear(): void {
    this.caseSeq = 100;
    this.cases.clear();
    this.idempotency.clear();
    this.filings = [];
    this.corvidUnits.clear();
    this.writes = [];
    this.deliveries = [];
    this.writeSeq = 0;
  }

  recordWrite(write: Omit<CrmWrite, "seq" | "receivedAt">): void {
    this.writeSeq += 1;
    this.writes.push({ seq: this.writeSeq, receivedAt: new Date().toISOString(), ...write });
  }

  filingsFor(oem: OemId): Filing[] {
    return this.filings.filter((f) => f.oem === oem);
  }

  toJSON(): z.infer<typeof persistedSchema> {
    return {
      version: 1,
      caseSeq: this.caseSeq,
      cases: [...this.cases.values()],
      idempotency: [...this.idempotency.values()],
      filings: this.filings,
      corvidUnits: [...this.corvidUnits.values()],
    };
  }

  loadFrom(json: unknown): void {
    const data = persistedSchema.parse(json);
    this.clear();
    this.caseSeq = data.caseSeq;
    for (const c of data.cases) this.cases.set(c.id, c);
    for (const r of data.idempotency) this.idempotency.set(r.key, r);
    this.filings = data.filings;
    for (const u of data.corvidUnits) this.corvidUnits.set(u.id, u);
  }
}

/** Debounced, atomic JSON persistence of a SandboxState. */
export class StatePersistence {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly file: string,
    private readonly state: SandboxState,
    private readonly debounceMs = 200,
  ) {}

  /** Loads the file if it exists; returns false when there was nothing to load. */
  load(): boolean {
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
    this.state.loadFrom(JSON.parse(text));
    return true;
  }

  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state.toJSON(), null, 2));
    renameSync(tmp, this.file);
  }
}
