// Sandbox domain catalog: the three fictional OEMs, the case kinds they accept, their
// component categories and unit identifier formats. Shared by the CRM and the portals.

export const OEM_IDS = ["arden", "borealis", "corvid"] as const;
export type OemId = (typeof OEM_IDS)[number];

export const CASE_KINDS = ["warranty_claim", "recall_completion", "emissions_report", "safety_incident"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export const CASE_STATUSES = ["new", "queued", "in_progress", "submitted", "needs_review", "failed", "cancelled"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Option {
  value: string;
  label: string;
}

export interface OemProfile {
  id: OemId;
  name: string;
  monogram: string;
  /** Primary brand colour and a darker/lighter companion used by the portal theme. */
  colour: string;
  accent: string;
  background: string;
  tagline: string;
  kinds: readonly Option[];
  categories: readonly Option[];
  unitLabel: string;
  unitPattern: RegExp;
  unitFormatHint: string;
  usageUnit: "km" | "hours" | "cycles";
  models: readonly string[];
}

export const OEMS: Record<OemId, OemProfile> = {
  arden: {
    id: "arden",
    name: "Arden Motors",
    monogram: "AM",
    colour: "#b4232a",
    accent: "#1f2937",
    background: "#f7f4f2",
    tagline: "Dealer Warranty & Recall Portal",
    kinds: [
      { value: "warranty_claim", label: "Warranty claim" },
      { value: "recall_completion", label: "Recall completion" },
    ],
    categories: [
      { value: "powertrain", label: "Powertrain" },
      { value: "electrical", label: "Electrical" },
      { value: "body", label: "Body & trim" },
      { value: "chassis", label: "Chassis & suspension" },
      { value: "hvac", label: "Heating & air conditioning" },
      { value: "infotainment", label: "Infotainment" },
    ],
    unitLabel: "VIN",
    // 17 characters, digits and capital letters except I, O and Q.
    unitPattern: /^[A-HJ-NPR-Z0-9]{17}$/,
    unitFormatHint: "17 characters, letters and digits, no I, O or Q",
    usageUnit: "km",
    models: ["Arden Solace", "Arden Tarrow LX", "Arden Kestrel", "Arden Vale Hybrid", "Arden Ridgeback 4x4"],
  },
  borealis: {
    id: "borealis",
    name: "Borealis Machinery",
    monogram: "BM",
    colour: "#1d6f42",
    accent: "#f2b705",
    background: "#f2f5f3",
    tagline: "Dealer Compliance Submissions",
    kinds: [
      { value: "emissions_report", label: "Emissions compliance report" },
      { value: "warranty_claim", label: "Warranty claim" },
    ],
    categories: [
      { value: "engine", label: "Engine" },
      { value: "hydraulics", label: "Hydraulics" },
      { value: "exhaust_aftertreatment", label: "Exhaust aftertreatment (DPF/SCR)" },
      { value: "drivetrain", label: "Drivetrain" },
      { value: "electrical", label: "Electrical" },
      { value: "cab", label: "Cab & controls" },
    ],
    unitLabel: "Machine serial number",
    // e.g. BM-EX2-004512
    unitPattern: /^BM-[A-Z0-9]{3}-\d{6}$/,
    unitFormatHint: "BM-XXX-NNNNNN, e.g. BM-EX2-004512",
    usageUnit: "hours",
    models: ["Borealis EX210 Excavator", "Borealis WL450 Wheel Loader", "Borealis TH8 Telehandler", "Borealis DZ90 Dozer"],
  },
  corvid: {
    id: "corvid",
    name: "Corvid Instruments",
    monogram: "CI",
    colour: "#3b3f99",
    accent: "#16a3b8",
    background: "#f4f5fb",
    tagline: "Field Safety & Service Reporting",
    kinds: [
      { value: "safety_incident", label: "Safety incident" },
      { value: "recall_completion", label: "Field action / recall completion" },
    ],
    categories: [
      { value: "electrical_hazard", label: "Electrical hazard" },
      { value: "mechanical_failure", label: "Mechanical failure" },
      { value: "software_fault", label: "Software fault" },
      { value: "calibration_drift", label: "Calibration drift" },
      { value: "labeling", label: "Labeling / IFU" },
      { value: "other", label: "Other" },
    ],
    unitLabel: "Instrument ID",
    // e.g. CI-4821-0093
    unitPattern: /^CI-\d{4}-\d{4}$/,
    unitFormatHint: "CI-NNNN-NNNN, e.g. CI-4821-0093",
    usageUnit: "cycles",
    models: ["Corvid Spectra 400 Spectrometer", "Corvid Centra X Centrifuge", "Corvid Therma 12 Incubator", "Corvid PulseLab Analyzer"],
  },
};

export function isOemId(value: string): value is OemId {
  return (OEM_IDS as readonly string[]).includes(value);
}

export function oemSupportsKind(oem: OemId, kind: string): boolean {
  return OEMS[oem].kinds.some((k) => k.value === kind);
}

export function optionLabel(options: readonly Option[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

/** Today's date as YYYY-MM-DD in UTC (portals validate "not in the future" against this). */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

export const REFERENCE_PATTERN = /^NS-\d{4}-\d{5}$/;
