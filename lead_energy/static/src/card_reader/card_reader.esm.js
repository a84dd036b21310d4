import {Component, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

// The lead fields a card can fill, as the server names them (see
// models/crm_lead_business_card.py).
const CARD_FIELDS = [
  "partner_name",
  "contact_name",
  "function",
  "email_from",
  "phone",
  "mobile",
  "website",
  "street",
  "zip",
  "city",
  "country_id",
];

/**
 * Reads the lead's business card on the server and proposes its values: one
 * tap takes one, "Take All" takes those whose field is empty. Nothing the
 * user typed is replaced unless they tap that very proposal. With the
 * ``camera`` attribute (Capture Lead) it also takes the picture: on a phone
 * the camera opens directly.
 */
export class CardReader extends Component {
  static template = "lead_energy.CardReader";
  static props = {...standardWidgetProps, camera: {type: Boolean, optional: true}};

  setup() {
    this.orm = useService("orm");
    this.state = useState({reading: false, message: "", status: "", suggestions: []});
  }

  get hasCard() {
    return Boolean(this.props.record.data.business_card);
  }

  get pending() {
    return this.state.suggestions.filter((suggestion) => !suggestion.taken);
  }

  get canTakeAll() {
    return this.pending.some((suggestion) => !suggestion.conflict);
  }

  currentValues() {
    const values = {};
    for (const name of CARD_FIELDS) {
      if (name in this.props.record.activeFields) {
        values[name] = this.props.record.data[name] || false;
      }
    }
    return values;
  }

  async onPicture(ev) {
    const file = ev.target.files && ev.target.files[0];
    ev.target.value = "";
    if (!file) {
      return;
    }
    const picture = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result.split(",")[1]);
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
    await this.props.record.update({business_card: picture});
    await this.read(picture);
  }

  async onRead() {
    const record = this.props.record;
    let picture = record.data.business_card;
    if (!picture || picture.length < 200) {
      // A saved record holds the size only: the picture comes from the server.
      const [values] = await this.orm.read(
        "crm.lead",
        [record.resId],
        ["business_card"],
        {
          context: {bin_size: false},
        }
      );
      picture = values.business_card;
    }
    await this.read(picture);
  }

  async read(picture) {
    Object.assign(this.state, {
      reading: true,
      message: "",
      status: "",
      suggestions: [],
    });
    try {
      // What is being typed counts as typed: commit it first.
      await this.props.record.model._askChanges();
      const answer = await this.orm.call("crm.lead", "lead_energy_read_card", [
        picture,
        this.currentValues(),
      ]);
      const active = this.props.record.activeFields;
      Object.assign(this.state, {
        status: answer.status,
        message: answer.message,
        suggestions: answer.suggestions
          .filter((suggestion) => suggestion.field in active)
          .map((suggestion) => ({...suggestion, taken: false})),
      });
    } finally {
      this.state.reading = false;
    }
  }

  async take(suggestion) {
    await this.props.record.update({[suggestion.field]: suggestion.value});
    suggestion.taken = true;
  }

  async takeAll() {
    const values = {};
    for (const suggestion of this.pending) {
      // Proposed for a field that is still empty, as it is now.
      if (!suggestion.conflict && !this.props.record.data[suggestion.field]) {
        values[suggestion.field] = suggestion.value;
        suggestion.taken = true;
      }
    }
    await this.props.record.update(values);
  }

  currentText(suggestion) {
    const value = this.props.record.data[suggestion.field];
    return Array.isArray(value) ? value[1] : value;
  }

  get readingLabel() {
    return _t("Reading the card…");
  }
}

registry.category("view_widgets").add("lead_energy_card_reader", {
  component: CardReader,
  extractProps: ({attrs}) => ({camera: Boolean(attrs.camera)}),
});
