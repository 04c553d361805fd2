// Full-page screenshot of a URL with Debian's Chromium: npx tsx scripts/screenshot.ts <url> <out.png> [--width 1440] [--dark] [--as email:password]
// --as signs in first (local account, through the app's own sign-in endpoint).
import { chromium } from "playwright-core";

interface Options {
  url: string;
  out: string;
  width: number;
  height: number;
  dark: boolean;
  signIn?: { email: string; password: string };
}

function parseArgs(argv: string[]): Options {
  const positional: string[] = [];
  let width = 1440;
  let height = 900;
  let dark = false;
  let signIn: Options["signIn"];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--dark") dark = true;
    else if (arg === "--as") {
      const [email, ...rest] = (argv[++i] ?? "").split(":");
      if (!email || rest.length === 0) throw new Error("--as needs email:password");
      signIn = { email, password: rest.join(":") };
    }
    else if (arg === "--width" || arg === "--height") {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 200) throw new Error(`${arg} needs a whole number of pixels (≥ 200)`);
      if (arg === "--width") width = value;
      else height = value;
    } else if (arg !== undefined) positional.push(arg);
  }
  const [url, out] = positional;
  if (!url || !out) throw new Error("usage: npx tsx scripts/screenshot.ts <url> <out.png> [--width 1440] [--height 900] [--dark]");
  return { url, out, width, height, dark, signIn };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  try {
    const context = await browser.newContext({
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: 1,
      colorScheme: options.dark ? "dark" : "light",
      reducedMotion: "reduce",
    });
    try {
      if (options.signIn) {
        const origin = new URL(options.url).origin;
        const answer = await context.request.post(`${origin}/api/auth/sign-in/email`, { data: options.signIn, headers: { origin } });
        if (!answer.ok()) throw new Error(`sign-in as ${options.signIn.email} failed: ${answer.status()} ${await answer.text()}`);
      }
      const page = await context.newPage();
      // next-themes follows the system scheme by default; pin it so the shot matches the flag.
      await page.addInitScript((theme) => window.localStorage.setItem("theme", theme), options.dark ? "dark" : "light");
      const response = await page.goto(options.url, { waitUntil: "load", timeout: 60_000 });
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({ path: options.out, fullPage: true, animations: "disabled" });
      console.log(`${response?.status() ?? "?"} ${options.url} → ${options.out} (${options.width}px${options.dark ? ", dark" : ""})`);
    } finally {
      await context.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
