import { DEFAULT_CHAOS, DEFAULT_FAULTS, NO_FAULTS, type ChaosPlan, type FaultMix } from "./run-soak";

/** `default`, `none`, or `transient=0.1,popups=0.03,rejects=0.01,drift=0.005` (rates per attempt). */
export function parseFaults(text: string): FaultMix {
  if (text === "default") return DEFAULT_FAULTS;
  if (text === "none") return NO_FAULTS;
  const mix: FaultMix = { ...NO_FAULTS };
  for (const part of text.split(",")) {
    const [key, raw] = part.split("=");
    const value = Number(raw);
    if (!key || !(key in mix) || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`--faults: "${part}" is not <transient|popups|rejects|drift>=<rate 0..1>`);
    mix[key as keyof FaultMix] = value;
  }
  return mix;
}

/** `default` (kills every 20–45 s, Postgres restart at 40 %), `none`, or `kills=20-45,pgrestart=0.4`. */
export function parseChaos(text: string): ChaosPlan {
  if (text === "default") return DEFAULT_CHAOS;
  if (text === "none") return { killEverySeconds: null, postgresRestartAt: null };
  const plan: ChaosPlan = { killEverySeconds: null, postgresRestartAt: null };
  for (const part of text.split(",")) {
    const [key, raw = ""] = part.split("=");
    if (key === "kills") {
      const [min, max] = raw.split("-").map(Number);
      if (!min || !max || min > max) throw new Error(`--chaos: "${part}" is not kills=<min>-<max> seconds`);
      plan.killEverySeconds = [min, max];
    } else if (key === "pgrestart") {
      const at = Number(raw);
      if (!Number.isFinite(at) || at <= 0 || at >= 1) throw new Error(`--chaos: "${part}" is not pgrestart=<share 0..1>`);
      plan.postgresRestartAt = at;
    } else {
      throw new Error(`--chaos: unknown "${part}" (use kills=<min>-<max>, pgrestart=<share>)`);
    }
  }
  return plan;
}

