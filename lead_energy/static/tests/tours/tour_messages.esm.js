// Steps by which a tour speaks to its Python test (LeadEnergyHttpCase in
// tests/common.py): the test saves a screenshot (./dev test --screenshots) or
// keeps the texts of a screen, and answers; the tour goes on once it has.

const ANSWER_TIMEOUT_MS = 20000;

async function tellTheTest(kind, name, payload) {
  window.leadEnergyTourAnswer = null;
  const message = `lead_energy:${kind} ${name}`;
  console.log(payload === undefined ? message : `${message} ${payload}`);
  const start = Date.now();
  while (window.leadEnergyTourAnswer !== name) {
    if (Date.now() - start > ANSWER_TIMEOUT_MS) {
      throw new Error(`The test did not answer "${message}"`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A step that has the test save a screenshot of the page as <name>.png, once
 * ``trigger`` is there.
 *
 * @param {String} name The file name, without ".png".
 * @param {String} trigger What must be on the page first.
 * @returns {Object} The tour step.
 */
export function screenshot(name, trigger) {
  return {
    content: `Screenshot ${name}`,
    trigger,
    run: () => {
      // The top of the view, as a user opens it: nothing focused, no tooltip
      // of a button the tour clicked last.
      document.querySelector(".o_action_manager .o_content")?.scrollTo(0, 0);
      document.activeElement?.blur();
      for (const element of document.querySelectorAll("[data-tooltip]")) {
        element.dispatchEvent(new MouseEvent("mouseleave"));
      }
      return tellTheTest("screenshot", name);
    },
  };
}

function visibleTexts(selector) {
  return [...document.querySelectorAll(selector)]
    .map((element) => element.innerText)
    .join("\n");
}

/**
 * A step that hands the texts of a screen to the test: by default the visible
 * texts of ``selector``.
 *
 * @param {String} name The name of the screen.
 * @param {String} selector What must be on the page (and whose texts count).
 * @param {Function} [read] Returns the texts instead.
 * @returns {Object} The tour step.
 */
export function screenTexts(name, selector, read = () => visibleTexts(selector)) {
  return {
    content: `The texts of ${name}`,
    trigger: selector,
    run: () => tellTheTest("texts", name, JSON.stringify(read())),
  };
}
