-- Attribution of a call to the web visit, campaign and ad click that produced it (issue 7).
-- One row per attributed call, written when the call starts (dynamic number insertion matches the
-- tracking number that rang to the visitor session holding it, or a static source's values apply).
-- Conversions (Google Ads, GA4, Meta, Microsoft Ads) and webhooks read their click ids from here.
CREATE TABLE call_attributions (
    call_id          uuid PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
    organisation_id  uuid NOT NULL REFERENCES organisations (id),
    -- exact: the number was leased to this session when the call came in; recent: it had been released
    -- within the cool-down; ambiguous: more than one session could have produced it; static: a static
    -- (non-pool) source's attribution.
    confidence       text NOT NULL CHECK (confidence IN ('exact', 'recent', 'ambiguous', 'static')),
    session_id       uuid NULL,
    visitor_id       text NULL,
    source_name      text NULL,
    utm_source       text NULL,
    utm_medium       text NULL,
    utm_campaign     text NULL,
    utm_term         text NULL,
    utm_content      text NULL,
    landing_page     text NULL,
    referrer         text NULL,
    gclid            text NULL,
    gbraid           text NULL,
    wbraid           text NULL,
    msclkid          text NULL,
    fbclid           text NULL,
    -- GA4 Measurement Protocol needs the site's client_id and session_id (from the _ga cookies).
    ga_client_id     text NULL,
    ga_session_id    text NULL,
    user_agent       text NULL,
    attributed_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX call_attributions_organisation ON call_attributions (organisation_id, attributed_at);
