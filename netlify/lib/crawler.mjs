// Search engines and other declared robots: they are shown the teasers (the page marks the
// gated parts as paywalled content for them) and never spend or record an allowance. A client
// that hides what it is falls under the guest rules instead, so guessing wrong here gives away
// nothing.
// Declared robots only: a tool that does not say it is one (curl, a headless browser) is
// metered by address like any guest.
const ROBOT = /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|scrapy/i;

export function isCrawler(userAgent) {
  return typeof userAgent === "string" && ROBOT.test(userAgent);
}
