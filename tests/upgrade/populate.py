"""Leads with every kind of data, made with the module's own flows as they were
at the earlier commit the upgrade test starts from (18.0.1.0.0, the first
version with the lead board): run in ``odoo-bin shell`` through ``main(env)``.

Only what that version offers is used here; the names are its names."""

import base64
import io
from datetime import timedelta

from PIL import Image, ImageDraw

from odoo import fields


def card_picture():
    image = Image.new("RGB", (400, 240), "white")
    ImageDraw.Draw(image).text((20, 20), "Sonnenhof GmbH\nEva Berg", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue())


def best_option(env, code, rank=0):
    options = env["crm.lead.scoring.option"].search(
        [("criterion_code", "=", code)], order="points desc, id"
    )
    return options[rank].id


def ratings(env, rank):
    return {
        "influence_option_id": best_option(env, "influence", rank),
        "size_option_id": best_option(env, "size", rank),
        "need_option_id": best_option(env, "need", rank),
        "volume_option_id": best_option(env, "volume", rank),
        "industry_id": env.ref("base.res_partner_industry_D").id,
        "source_id": env.ref("lead_energy.utm_source_trade_fair").id,
    }


def change_configuration(env):
    """What an administrator changes after installing: all of it must stay."""
    params = env["ir.config_parameter"]
    params.set_param("lead_energy.high_score_threshold", "65")
    params.set_param("lead_energy.stale_days", "21")
    params.set_param("lead_energy.score_sets_priority", "True")
    env["crm.lead.scoring.criterion"].search([("code", "=", "need")]).weight = 4
    option = env["crm.lead.scoring.option"].search(
        [("criterion_code", "=", "size")], order="points desc, id", limit=1
    )
    option.points = 9
    interest = env["crm.energy.interest"].search([], order="id", limit=1)
    interest.name = "Photovoltaics (roof and facade)"
    env["crm.energy.interest"].create({"name": "Heat Pumps"})
    env["crm.energy.lead.type"].search([], order="id desc", limit=1).active = False
    sequence = env["ir.sequence"].search([("code", "=", "lead_energy.lead_number")])
    sequence.padding = 6
    template = env.ref("lead_energy.mail_template_info_web_inquiry")
    template.body_html = "<p>Our own text, edited by the administrator.</p>"
    cron = env.ref("lead_energy.ir_cron_notify_overdue_followups")
    cron.interval_number = 2


def full_lead(env, demo, today, now):
    """A lead with everything on it: ratings, interests, type, appointment with
    a colleague, business card, follow-up (overdue, reminded), notes, tags, a
    main contact and further contacts, information material sent."""
    lead = env["crm.lead"].create(
        {
            "name": "Upgrade: full lead",
            "type": "lead",
            "partner_name": "Sonnenhof GmbH",
            "contact_name": "Eva Berg",
            "function": "Managing Director",
            "email_from": "eva.berg@sonnenhof.example",
            "phone": "+49 761 123456",
            "mobile": "+49 171 2345678",
            "street": "Sonnenweg 1",
            "zip": "79098",
            "city": "Freiburg",
            "country_id": env.ref("base.de").id,
            "website": "https://sonnenhof.example",
            "user_id": demo.id,
            "lead_type_id": env["crm.energy.lead.type"].search([], limit=1).id,
            "interest_ids": [(6, 0, env["crm.energy.interest"].search([]).ids[:3])],
            "meeting_user_id": demo.id,
            "appointment_start": now + timedelta(days=2),
            "appointment_stop": now + timedelta(days=2, hours=1),
            "followup_user_id": demo.id,
            "followup_deadline": today - timedelta(days=2),
            "business_card": card_picture(),
            "send_info_material": True,
            "request_opt_in": True,
            "arrange_appointment": True,
            "next_appointment_date": today + timedelta(days=10),
            "description": "<p>Roof of 80 m², facing south.</p>",
            "priority": "2",
            "tag_ids": [(6, 0, env["crm.tag"].search([], limit=2).ids)],
            **ratings(env, 0),
        }
    )
    # Each step is a request of its own, as in the web client: Odoo tracks
    # the changes of a record at the end of the transaction it was changed in.
    env.cr.commit()
    lead.appointment_event_id.partner_ids |= env.ref("base.partner_admin")
    company = env["res.partner"].create({"name": "Sonnenhof GmbH", "is_company": True})
    contact = env["res.partner"].create(
        {"name": "Eva Berg", "parent_id": company.id, "email": lead.email_from}
    )
    lead.partner_id = contact
    env.cr.commit()
    colleagues = env["res.partner"].create(
        [
            {
                "name": "Tom Berg",
                "parent_id": company.id,
                "email": "tom@sonnenhof.example",
            },
            {"name": "Ida Kern", "parent_id": company.id, "phone": "+49 761 99"},
        ]
    )
    lead._add_further_contacts(colleagues)
    template = env.ref("lead_energy.mail_template_info_trade_fair")
    lead.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
    lead._lead_energy_mail_sent("info_material")
    lead.message_post(body="A note from the sales person.")
    return lead


def converted_lead(env, demo):
    """Contacted, qualified, converted through the wizard, inquiry, one quotation
    sent and one confirmed."""
    lead = env["crm.lead"].create(
        {
            "name": "Upgrade: converted lead",
            "type": "lead",
            "partner_name": "Windpark Nord AG",
            "contact_name": "Jan Ostermann",
            "email_from": "jan.ostermann@windpark-nord.example",
            "city": "Husum",
            "country_id": env.ref("base.de").id,
            "user_id": demo.id,
            **ratings(env, 1),
        }
    )
    env.cr.commit()
    lead.action_mark_contacted()
    env.cr.commit()
    lead.action_mark_qualified()
    env.cr.commit()
    wizard = env["crm.lead.convert.contact"].with_context(default_lead_id=lead.id)
    wizard = wizard.create({})
    wizard.company_mode = "new"
    wizard.action_company_next()
    wizard.action_contact_confirm()
    lead._add_further_contacts(
        env["res.partner"].create(
            {"name": "Lena Wind", "parent_id": lead.partner_id.parent_id.id}
        )
    )
    env.cr.commit()
    lead.action_create_inquiry()
    env.cr.commit()
    product = env.ref("product.product_product_4")
    orders = env["sale.order"].create(
        [
            {
                "partner_id": lead.partner_id.commercial_partner_id.id,
                "opportunity_id": lead.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": n})
                ],
            }
            for n in (3, 5)
        ]
    )
    orders[0].action_quotation_sent()
    orders[1].action_confirm()
    return lead


def main(env):
    env = env(context=dict(env.context, tracking_disable=False))
    demo = env.ref("base.user_demo")
    today = fields.Date.context_today(env["crm.lead"])
    now = fields.Datetime.now().replace(microsecond=0)
    change_configuration(env)
    full_lead(env, demo, today, now)
    converted_lead(env, demo)
    lost = env["crm.lead"].create(
        {"name": "Upgrade: lost lead", "type": "lead", **ratings(env, 2)}
    )
    env.cr.commit()
    lost.action_set_lost(lost_reason_id=env.ref("crm.lost_reason_1").id)
    env["crm.lead"]._cron_notify_overdue_followups()
    env.cr.commit()
