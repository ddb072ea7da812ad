-- Databases seeded before issue 18 hold the seed's old readings, and a seed runs only on an empty
-- database: bring those rows to what prisma/seed now says. Each statement touches only a row still as
-- the old seed wrote it, so a fresh database (seeded after this runs) and rows edited since are left alone.

-- The expansion of the VAT refund scheme has no date in its article, only "following a 2025
-- agreement with Sichuan": 2025 is the earliest it can have begun.
UPDATE "Relationship" SET "validFromBound" = 'NOT_BEFORE',
  note = 'The article gives no date for the expansion, only that it followed the 2025 agreement with Sichuan: 2025 is the earliest it can have begun (NOT_BEFORE), and the article, which carries no date in the digest, the latest.'
WHERE key IN ('VAT_REFUND_PARTNER:chongqing:yunnan:vat-refund-expansion',
              'VAT_REFUND_PARTNER:chongqing:shaanxi:vat-refund-expansion',
              'VAT_REFUND_PARTNER:chongqing:gansu:vat-refund-expansion')
  AND "validFromBound" = 'EXACT' AND certainty = 'INFERRED';

-- The AI action plan was published "On July 25th", in a year the article does not give.
UPDATE "Relationship" SET "validFrom" = NULL, "validFromPrecision" = NULL,
  note = 'The article says the plan was published (''On July 25th'', no year), not by whom; the plan is Chongqing''s own. Its period, 2023-2025, is the policy''s and its APPLIES_TO''s; the day it was issued is left undated.'
WHERE key = 'ISSUED_BY:chongqing-ai-action-plan-2023-2025:chongqing:cq-ai-action-plan'
  AND certainty = 'INFERRED' AND "validFromBound" = 'EXACT';

-- Rank words are not ranks (src/ranks.ts): "Tibet led growth" names no position.
UPDATE "RankingEntry" SET rank = NULL
WHERE key = 'provincial-gdp-growth-2025:tibet' AND certainty = 'STATED_LOOSELY';

-- Reference facts an article states cite the article, not the division-code table that lacks them.
UPDATE "Relationship" r SET key = 'GOVERNMENT_BODY_OF:chongqing-development-and-reform-commission:chongqing:cq-auto-subsidy-2023',
  "sourceId" = s.id, certainty = 'STATED', note = 'The article names the commission as Chongqing''s own.',
  quote = 'According to the Chongqing Development and Reform Commission and the Municipal Bureau of Commerce'
FROM "Source" s
WHERE s.key = 'cq-auto-subsidy-2023'
  AND r.key = 'GOVERNMENT_BODY_OF:chongqing-development-and-reform-commission:chongqing:ref-admin-divisions'
  AND NOT EXISTS (SELECT 1 FROM "Relationship" WHERE key = 'GOVERNMENT_BODY_OF:chongqing-development-and-reform-commission:chongqing:cq-auto-subsidy-2023');

UPDATE "Relationship" r SET key = 'LOCATED_IN:' || e.key || ':chongqing:cq-ai-action-plan',
  "sourceId" = s.id, certainty = 'INFERRED',
  note = 'The article places these areas in Chongqing''s own plan, whose scenes are built ''throughout the city''; that they lie in Chongqing is inferred from it. Neither is a division of the GB/T 2260 table.',
  quote = 'A smart transportation demonstration zone will be built around the Western Chongqing Science City, Yongchuan District, and the national pilot zone for connected vehicles in the Liangjiang New Area.'
FROM "Source" s, "Entity" e
WHERE s.key = 'cq-ai-action-plan' AND e.id = r."fromId"
  AND e.key IN ('liangjiang-new-area', 'western-chongqing-science-city')
  AND r.key = 'LOCATED_IN:' || e.key || ':chongqing:ref-admin-divisions'
  AND NOT EXISTS (SELECT 1 FROM "Relationship" WHERE key = 'LOCATED_IN:' || e.key || ':chongqing:cq-ai-action-plan');
