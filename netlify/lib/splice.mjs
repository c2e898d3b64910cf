// Putting member sections into a built page. The build renders each section as
//   <section class="member-section" data-member-section="N"> <h3>title</h3>
//   <p class="member-teaser">Register to view content</p> </section>
// and stores the section bodies, as HTML, in the deploy's blob store. Text from YAML is escaped
// by the build, so these exact tags can only come from our own template.

const SECTION = /(<section class="member-section" data-member-section="(\d+)">)((?:(?!<\/section>)[\s\S])*?)<p class="member-teaser">Register to view content<\/p>/g;
const ARTICLE = /<article class="md-content__inner md-typeset">/;

/** How many teasers a page has. */
export function countTeasers(html) {
  return [...html.matchAll(SECTION)].length;
}

/** `html` with the Nth teaser replaced by `sections[N - 1]`; teasers without a body stay. */
export function spliceSections(html, sections) {
  return html.replace(SECTION, (match, open, n, between) => {
    const body = sections[Number(n) - 1];
    if (typeof body !== "string") return match;
    return `${open}${between}<div class="member-body">${body}</div>`;
  });
}

/** `html` with `banner` at the top of the page's article, or unchanged if it has none. */
export function insertBanner(html, banner) {
  return html.replace(ARTICLE, (open) => `${open}\n${banner}`);
}
