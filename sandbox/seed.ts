// Seed data: 36 realistic cases across the three OEMs (a few already filed, a few with data
// the portals will refuse), plus the Corvid instrument registry. Deterministic per run.

import { OEMS, type CaseKind, type OemId } from "./domain.js";
import { formatCaseId, formatReference, randomContact } from "./crm/cases.js";
import { intBetween, pick, randomCode, randomDigits, randomLetters, seededRandom, type Random } from "./random.js";
import type { CorvidUnit, CrmCase, Filing, SandboxState } from "./state.js";

interface SeedStory {
  kind: CaseKind;
  category: string;
  description: string;
  redactionSensitive?: boolean;
}

const STORIES: Record<OemId, SeedStory[]> = {
  arden: [
    { kind: "warranty_claim", category: "powertrain", description: "Customer reports intermittent loss of power above 90 km/h; DTC P0299 (turbo underboost) stored. Wastegate actuator replaced." },
    { kind: "warranty_claim", category: "body", description: "Driver-side window regulator failed and the glass dropped into the door. Regulator and motor replaced." },
    { kind: "warranty_claim", category: "hvac", description: "A/C blowing warm air; compressor clutch coil open circuit. Compressor replaced and system recharged." },
    { kind: "warranty_claim", category: "infotainment", description: "Head unit reboots every few minutes; software reflash did not help. Head unit replaced." },
    { kind: "warranty_claim", category: "chassis", description: "Clunk from front suspension over bumps; front lower control arm bushing split. Control arm replaced." },
    { kind: "warranty_claim", category: "electrical", description: "Owner Mr. D. Haddad (mobile +1 555 201 7781) reports battery drain overnight; body control module draws 600 mA at rest. BCM replaced.", redactionSensitive: true },
    { kind: "recall_completion", category: "body", description: "Recall ARD-RC-2411 performed: passenger airbag inflator inspected and replaced per bulletin." },
    { kind: "recall_completion", category: "powertrain", description: "Recall ARD-RC-2502 remedy: low-pressure fuel pump module replaced; no leaks on road test." },
    { kind: "recall_completion", category: "chassis", description: "Recall ARD-RC-2507 completed: brake booster vacuum hose re-routed and clamped." },
    { kind: "warranty_claim", category: "electrical", description: "Rear camera image flickers when reversing; connector corrosion at tailgate harness. Harness section replaced." },
    { kind: "warranty_claim", category: "powertrain", description: "Transmission harsh 2-3 upshift when warm; adaptation reset and valve body replaced." },
    { kind: "recall_completion", category: "electrical", description: "Recall ARD-RC-2519: seat-belt reminder software update applied; warning lamp verified." },
  ],
  borealis: [
    { kind: "emissions_report", category: "exhaust_aftertreatment", description: "Annual Stage V emissions inspection: NOx 0.38 g/kWh, PM below detection limit. DPF regeneration history normal." },
    { kind: "emissions_report", category: "exhaust_aftertreatment", description: "Post-repair emissions verification after SCR dosing module replacement; all readings within limits." },
    { kind: "emissions_report", category: "engine", description: "DEF quality sensor fault resolved; tailpipe NOx verified at 0.29 g/kWh over a 30-minute load test." },
    { kind: "emissions_report", category: "exhaust_aftertreatment", description: "Scheduled opacity test on rental fleet machine: 0.12 m-1 average over three free accelerations. Pass." },
    { kind: "warranty_claim", category: "hydraulics", description: "Main hydraulic pump losing pressure under load (190 bar against 350 bar spec). Pump replaced under warranty." },
    { kind: "warranty_claim", category: "hydraulics", description: "Boom cylinder rod seal leaking at 1,100 hours; seal kit replaced and cylinder pressure tested." },
    { kind: "warranty_claim", category: "drivetrain", description: "Bearing noise from left final drive; final drive replaced and oil sampled for metal content." },
    { kind: "warranty_claim", category: "cab", description: "Operator Ms. L. Novak reports joystick drift causing unintended swing; she sprained a wrist stopping the machine. Joystick replaced.", redactionSensitive: true },
    { kind: "warranty_claim", category: "electrical", description: "Alternator output below 12 V at idle; voltage regulator failed. Alternator replaced." },
    { kind: "emissions_report", category: "engine", description: "EGR cooler replaced after coolant loss; emissions re-test passed with NOx 0.35 g/kWh." },
    { kind: "warranty_claim", category: "engine", description: "Coolant temperature sensor reading erratic, causing derate events. Sensor and pigtail replaced." },
    { kind: "emissions_report", category: "exhaust_aftertreatment", description: "Quarterly compliance check for municipal contract: DPF differential pressure and NOx within limits." },
  ],
  corvid: [
    { kind: "safety_incident", category: "mechanical_failure", description: "Centrifuge lid interlock released while the rotor was still spinning at about 800 rpm. No injury. Unit quarantined." },
    { kind: "safety_incident", category: "calibration_drift", description: "Incubator chamber overshot to 45 °C for 20 minutes; samples discarded. Temperature controller suspected." },
    { kind: "safety_incident", category: "electrical_hazard", description: "Lab technician J. Rahimi received a minor shock from the analyzer chassis while loading reagent; seen by occupational health. Ground fault suspected.", redactionSensitive: true },
    { kind: "safety_incident", category: "software_fault", description: "Analyzer reported results for the wrong sample ID after a barcode re-scan; two results corrected. Firmware issue suspected." },
    { kind: "safety_incident", category: "labeling", description: "Instructions for use list the wrong rotor speed limit for the 6x50 mL rotor. Reported by the customer's QA lead." },
    { kind: "recall_completion", category: "software_fault", description: "Field safety corrective action FSCA-2025-07 completed: firmware updated to 4.2.1 and interlock verified." },
    { kind: "recall_completion", category: "electrical_hazard", description: "Field action CI-FA-2511: power supply module replaced; earth continuity and leakage current tested OK." },
    { kind: "safety_incident", category: "mechanical_failure", description: "Patient sample tube (patient MRN 44-1902) shattered in rotor; aerosol containment held. Rotor inspected, hairline crack found.", redactionSensitive: true },
    { kind: "recall_completion", category: "calibration_drift", description: "Field action CI-FA-2520: temperature probe recalibrated and certificate issued." },
    { kind: "safety_incident", category: "other", description: "Smell of burning plastic from spectrometer lamp housing; unit powered down by staff. No fire." },
    { kind: "safety_incident", category: "calibration_drift", description: "Spectrometer wavelength accuracy drifted 2.1 nm outside tolerance between annual calibrations." },
    { kind: "recall_completion", category: "labeling", description: "Field action CI-FA-2526: updated warning labels applied to the rear panel and IFU replaced." },
  ],
};

const CORVID_SITES = [
  "St. Clare Hospital Laboratory, Leeds",
  "Northfield Biotech, Cambridge MA",
  "Riverside Water Authority Lab",
  "Helix Diagnostics, Rotterdam",
  "Nordlys University Chemistry, Tromsø",
  "Pinecrest Veterinary Clinic",
];

const VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

export function unitIdFor(oem: OemId, random: Random): string {
  switch (oem) {
    case "arden":
      return `1AR${randomCode(random, 14, VIN_CHARS)}`;
    case "borealis":
      return `BM-${pick(random, ["EX2", "WL4", "TH8", "DZ9"])}-${randomDigits(random, 6)}`;
    case "corvid":
      return `CI-${randomDigits(random, 4)}-${randomDigits(random, 4)}`;
  }
}

function confirmationFor(oem: OemId, random: Random): string {
  switch (oem) {
    case "arden":
      return `ARD-${randomCode(random, 6)}`;
    case "borealis":
      return `BOR-${randomDigits(random, 8)}`;
    case "corvid":
      return `CVD-${randomLetters(random, 4)}-${randomDigits(random, 4)}`;
  }
}

/** Index (within each OEM's 12 cases) of the special cases. */
const ALREADY_SUBMITTED = new Set([0, 1]);
const FILED_BUT_NOT_WRITTEN_BACK = 2; // filed on the portal, CRM still "new" (a lost write-back)
const BAD_DATA = 3; // data the portal refuses (see README)

export function seedState(state: SandboxState, now = new Date()): void {
  const random = seededRandom(20_260_115);
  const hour = 3_600_000;
  for (const oem of ["arden", "borealis", "corvid"] as const) {
    const profile = OEMS[oem];
    STORIES[oem].forEach((story, i) => {
      state.caseSeq += 1;
      const seq = state.caseSeq;
      const created = new Date(now.getTime() - (36 - seq + 100) * 7 * hour - intBetween(random, 0, 59) * 60_000);
      let unitId = unitIdFor(oem, random);
      let incidentDate = new Date(created.getTime() - intBetween(random, 1, 12) * 24 * hour).toISOString().slice(0, 10);
      if (i === BAD_DATA) {
        if (oem === "arden") unitId = `1AR${randomCode(random, 6, VIN_CHARS)}O${randomCode(random, 7, VIN_CHARS)}`; // "O" is not allowed in a VIN
        if (oem === "borealis") unitId = "BM-EX2-4512"; // too few digits
        if (oem === "corvid") incidentDate = new Date(now.getTime() + 7 * 24 * hour).toISOString().slice(0, 10); // in the future
      }
      if (oem === "corvid" && i === BAD_DATA + 1) unitId = "CI-7310-5528"; // not in Corvid's registry
      const c: CrmCase = {
        id: formatCaseId(seq),
        reference: formatReference(seq, now),
        oem,
        kind: story.kind,
        status: "new",
        confirmationNumber: null,
        statusMessage: null,
        priority: i === 5 ? "urgent" : "normal",
        unit: { id: unitId, model: pick(random, profile.models), year: oem === "arden" ? intBetween(random, 2019, 2025) : null },
        contact: randomContact(random),
        incidentDate,
        description: story.description,
        usage: {
          value: oem === "arden" ? intBetween(random, 800, 140_000) : oem === "borealis" ? intBetween(random, 50, 12_000) : intBetween(random, 200, 90_000),
          unit: profile.usageUnit,
        },
        category: story.category,
        acknowledgement: true,
        redactionSensitive: story.redactionSensitive ?? false,
        createdAt: created.toISOString(),
        updatedAt: created.toISOString(),
        notes: [],
      };
      if (oem === "corvid" && c.unit.id !== "CI-7310-5528" && !state.corvidUnits.has(c.unit.id)) {
        state.corvidUnits.set(c.unit.id, corvidUnit(c.unit.id, c.unit.model, random));
      }
      if (ALREADY_SUBMITTED.has(i) || i === FILED_BUT_NOT_WRITTEN_BACK) {
        const filedAt = new Date(created.getTime() + 3 * hour).toISOString();
        const filing: Filing = {
          id: `FIL-seed-${seq}`,
          oem,
          reference: c.reference,
          confirmationNumber: confirmationFor(oem, random),
          filedAt,
          unitId: c.unit.id,
          kind: c.kind,
          username: "nightshift",
          fields: { caseReference: c.reference },
          document: null,
          duplicateOf: null,
        };
        state.filings.push(filing);
        if (ALREADY_SUBMITTED.has(i)) {
          c.status = "submitted";
          c.confirmationNumber = filing.confirmationNumber;
          c.updatedAt = new Date(created.getTime() + 3 * hour + 60_000).toISOString();
          c.notes.push({ id: `NOTE-1-${c.id}`, body: `Submitted to ${profile.name}; confirmation ${filing.confirmationNumber}.`, kind: "nightshift", createdAt: c.updatedAt });
        }
      }
      state.cases.set(c.id, c);
    });
  }
  // A few more instruments the CRM has no case for, so searches return several rows.
  for (const id of ["CI-4821-0093", "CI-4821-0117", "CI-5102-2210", "CI-6630-0041", "CI-7310-5529"]) {
    if (!state.corvidUnits.has(id)) state.corvidUnits.set(id, corvidUnit(id, pick(random, OEMS.corvid.models), random));
  }
}

function corvidUnit(id: string, model: string, random: Random): CorvidUnit {
  return {
    id,
    model,
    site: pick(random, CORVID_SITES),
    installedOn: `20${intBetween(random, 19, 24)}-${String(intBetween(random, 1, 12)).padStart(2, "0")}-${String(intBetween(random, 1, 28)).padStart(2, "0")}`,
  };
}
