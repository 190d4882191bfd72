/** External links (Grafana, tracing) from URL templates with {cluster} {namespace} {name} {service} {revision}. */
export interface LinkTemplate {
  name: string;
  template: string;
}

export const LINK_PLACEHOLDERS = ['cluster', 'namespace', 'name', 'service', 'revision'] as const;
type Placeholder = (typeof LINK_PLACEHOLDERS)[number];

export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).filter((p) => !(LINK_PLACEHOLDERS as readonly string[]).includes(p));
}

/** Fills a template; every value is URL-encoded so a name cannot break out of its parameter. */
export function renderLink(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) =>
    (LINK_PLACEHOLDERS as readonly string[]).includes(key) ? encodeURIComponent(values[key as Placeholder]) : whole,
  );
}

/** `Name=https://…;Other=https://…` → templates; throws with the bad entry named. */
export function parseLinkTemplates(raw: string | undefined): LinkTemplate[] {
  return (raw ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const at = entry.indexOf('=');
      const name = entry.slice(0, at).trim();
      const template = entry.slice(at + 1).trim();
      if (at <= 0 || !/^https?:\/\//.test(template)) throw new Error(`link "${entry}" must be Name=https://…`);
      const unknown = unknownPlaceholders(template);
      if (unknown.length) throw new Error(`link ${name}: unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}`);
      return { name, template };
    });
}
