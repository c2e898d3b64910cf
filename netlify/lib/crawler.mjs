// Search engines and other declared robots: they are shown the teasers (the page marks the
// gated parts as paywalled content for them) and never spend or record an allowance. A client
// that hides what it is falls under the guest rules instead, so guessing wrong here gives away
// nothing.
const ROBOT = /bot\b|bot\/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|headlesschrome|python-requests|curl\/|wget\/|scrapy|httpclient|go-http-client|java\/|libwww|axios\/|node-fetch|undici/i;

export function isCrawler(userAgent) {
  return typeof userAgent === "string" && ROBOT.test(userAgent);
}
