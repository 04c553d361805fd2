/**
 * The People section's data over JSON: GET/POST /api/users and PATCH /api/users/:id (admin only;
 * the server refuses everyone else). Dates stay ISO strings; components format them.
 */
import type { Role } from "@/lib/auth/roles";
import { fetchJson, postJson } from "@/components/query/fetch-json";

/** A person as GET /api/users lists them (lib/auth/users.ts PersonView, over JSON). */
export interface PersonJson {
  id: string;
  email: string;
  name: string;
  /** null: signed in through SSO, but none of their groups maps to a role. */
  role: Role | null;
  disabled: boolean;
  signIn: ("password" | "sso")[];
  createdAt: string;
  /** The last time one of their sessions was used (null: never signed in, or every session expired). */
  lastSeenAt: string | null;
}

/** POST /api/users: a person with a local password. */
export interface NewPerson {
  name: string;
  email: string;
  role: Role;
  password: string;
}

export const peopleKeys = {
  all: ["people"] as const,
};

export const fetchPeople = () => fetchJson<{ people: PersonJson[] }>("/api/users", { cache: "no-store", fallback: "The people could not be loaded." }).then((answer) => answer.people);

export const createPerson = (person: NewPerson) => postJson<{ person: PersonJson }>("/api/users", person, { fallback: "The person could not be added." }).then((answer) => answer.person);

/** Changes a person's role or disables / enables them; answers the person as saved. */
export const updatePerson = ({ id, ...change }: { id: string; role?: Role; disabled?: boolean }) =>
  fetchJson<{ person: PersonJson }>(`/api/users/${encodeURIComponent(id)}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(change),
    fallback: "The change could not be saved.",
  }).then((answer) => answer.person);
