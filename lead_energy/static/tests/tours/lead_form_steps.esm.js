/**
 * The steps that click a button of the lead form's header: on a phone the
 * buttons sit in the gear menu of the control panel.
 *
 * @param {String} name The button's name (its method or action).
 * @param {String} content What the click does, for the tour's log.
 * @param {Boolean} phone Whether the tour runs on a phone.
 * @returns {Array} The tour steps.
 */
export function clickHeaderButton(name, content, phone) {
  if (!phone) {
    return [{content, trigger: `.o_form_view button[name=${name}]`, run: "click"}];
  }
  return [
    {
      content: "On a phone the lead's actions sit in the gear menu",
      trigger: ".o_control_panel button:has(.fa-cog)",
      run: "click",
    },
    {content, trigger: `.o-dropdown--menu button[name=${name}]`, run: "click"},
  ];
}
