-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateEnum
CREATE TYPE "EntityKind" AS ENUM ('COUNTRY', 'PROVINCE', 'CITY', 'DISTRICT', 'REGION', 'COMPANY', 'BRAND', 'ORGANIZATION', 'POLICY');

-- CreateEnum
CREATE TYPE "AdminLevel" AS ENUM ('COUNTRY', 'PROVINCIAL', 'PREFECTURAL', 'COUNTY');

-- CreateEnum
CREATE TYPE "DivisionType" AS ENUM ('PROVINCE', 'AUTONOMOUS_REGION', 'MUNICIPALITY', 'SPECIAL_ADMINISTRATIVE_REGION', 'PREFECTURE_LEVEL_CITY', 'DISTRICT', 'NEW_AREA');

-- CreateEnum
CREATE TYPE "PolicyType" AS ENUM ('SUBSIDY', 'TAX_REFUND', 'ACTION_PLAN', 'GRANT_PROGRAMME', 'NATIONAL_STRATEGY');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('DAY', 'MONTH', 'YEAR');

-- CreateEnum
CREATE TYPE "Certainty" AS ENUM ('STATED', 'STATED_LOOSELY', 'INFERRED');

-- CreateEnum
CREATE TYPE "SourceKind" AS ENUM ('ARTICLE', 'REFERENCE');

-- CreateEnum
CREATE TYPE "Qualifier" AS ENUM ('EXACT', 'MORE_THAN', 'AT_LEAST', 'UP_TO', 'ABOUT', 'RANGE');

-- CreateEnum
CREATE TYPE "FigureKind" AS ENUM ('AMOUNT', 'TARGET', 'OUTCOME');

-- CreateTable
CREATE TABLE "Source" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "SourceKind" NOT NULL,
    "title" TEXT NOT NULL,
    "publishedOn" DATE,
    "publishedPrecision" "DatePrecision",
    "publisher" TEXT,
    "url" TEXT,
    "file" TEXT,
    "summary" TEXT,
    "body" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Entity" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" "EntityKind" NOT NULL,
    "name" TEXT NOT NULL,
    "nameZh" TEXT,
    "description" TEXT,
    "adminLevel" "AdminLevel",
    "divisionType" "DivisionType",
    "divisionCode" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Entity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alias" (
    "id" SERIAL NOT NULL,
    "entityId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "normalized" TEXT NOT NULL,
    "compact" TEXT NOT NULL DEFAULT '',
    "lang" TEXT NOT NULL,
    "primary" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Alias_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyDetail" (
    "entityId" INTEGER NOT NULL,
    "policyType" "PolicyType" NOT NULL,
    "officialTitle" TEXT,
    "startsOn" DATE,
    "startsPrecision" "DatePrecision",
    "endsOn" DATE,
    "endsPrecision" "DatePrecision",

    CONSTRAINT "PolicyDetail_pkey" PRIMARY KEY ("entityId")
);

-- CreateTable
CREATE TABLE "RelationType" (
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "inverseLabel" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "symmetric" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "RelationType_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "Relationship" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "typeKey" TEXT NOT NULL,
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "validFrom" DATE,
    "validFromPrecision" "DatePrecision",
    "validTo" DATE,
    "validToPrecision" "DatePrecision",
    "properties" JSONB NOT NULL DEFAULT '{}',
    "note" TEXT,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,
    "certainty" "Certainty" NOT NULL,

    CONSTRAINT "Relationship_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Indicator" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nameZh" TEXT,
    "unit" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "Indicator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Observation" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "indicatorId" INTEGER NOT NULL,
    "period" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "value" DOUBLE PRECISION,
    "valueMax" DOUBLE PRECISION,
    "qualifier" "Qualifier" NOT NULL DEFAULT 'EXACT',
    "unit" TEXT NOT NULL,
    "note" TEXT,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,
    "certainty" "Certainty" NOT NULL,

    CONSTRAINT "Observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Ranking" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "indicatorId" INTEGER,
    "period" TEXT NOT NULL,
    "periodStart" DATE NOT NULL,
    "periodEnd" DATE NOT NULL,
    "scopeId" INTEGER,
    "note" TEXT,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,

    CONSTRAINT "Ranking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RankingEntry" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "rankingId" INTEGER NOT NULL,
    "entityId" INTEGER NOT NULL,
    "rank" INTEGER,
    "value" DOUBLE PRECISION,
    "unit" TEXT,
    "note" TEXT,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,
    "certainty" "Certainty" NOT NULL,

    CONSTRAINT "RankingEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyFigure" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "policyId" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "kind" "FigureKind" NOT NULL,
    "value" DOUBLE PRECISION,
    "valueMax" DOUBLE PRECISION,
    "qualifier" "Qualifier" NOT NULL DEFAULT 'EXACT',
    "unit" TEXT,
    "dueBy" DATE,
    "dueByPrecision" "DatePrecision",
    "note" TEXT,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,
    "certainty" "Certainty" NOT NULL,

    CONSTRAINT "PolicyFigure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Mention" (
    "id" SERIAL NOT NULL,
    "entityId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "quote" TEXT NOT NULL,

    CONSTRAINT "Mention_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Source_key_key" ON "Source"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Entity_key_key" ON "Entity"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Entity_divisionCode_key" ON "Entity"("divisionCode");

-- CreateIndex
CREATE INDEX "Entity_kind_name_idx" ON "Entity"("kind", "name");

-- CreateIndex
CREATE INDEX "Entity_name_idx" ON "Entity"("name");

-- CreateIndex
CREATE INDEX "Alias_normalized_idx" ON "Alias"("normalized");

-- CreateIndex
CREATE INDEX "Alias_normalized_trgm_idx" ON "Alias" USING GIN ("normalized" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "Alias_compact_trgm_idx" ON "Alias" USING GIN ("compact" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Alias_entityId_normalized_key" ON "Alias"("entityId", "normalized");

-- CreateIndex
CREATE UNIQUE INDEX "Relationship_key_key" ON "Relationship"("key");

-- CreateIndex
CREATE INDEX "Relationship_fromId_id_idx" ON "Relationship"("fromId", "id");

-- CreateIndex
CREATE INDEX "Relationship_toId_id_idx" ON "Relationship"("toId", "id");

-- CreateIndex
CREATE INDEX "Relationship_fromId_typeKey_id_idx" ON "Relationship"("fromId", "typeKey", "id");

-- CreateIndex
CREATE INDEX "Relationship_toId_typeKey_id_idx" ON "Relationship"("toId", "typeKey", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Indicator_key_key" ON "Indicator"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Observation_key_key" ON "Observation"("key");

-- CreateIndex
CREATE INDEX "Observation_entityId_indicatorId_periodStart_idx" ON "Observation"("entityId", "indicatorId", "periodStart");

-- CreateIndex
CREATE INDEX "Observation_indicatorId_periodStart_idx" ON "Observation"("indicatorId", "periodStart");

-- CreateIndex
CREATE UNIQUE INDEX "Ranking_key_key" ON "Ranking"("key");

-- CreateIndex
CREATE INDEX "Ranking_topic_idx" ON "Ranking"("topic");

-- CreateIndex
CREATE UNIQUE INDEX "RankingEntry_key_key" ON "RankingEntry"("key");

-- CreateIndex
CREATE INDEX "RankingEntry_entityId_idx" ON "RankingEntry"("entityId");

-- CreateIndex
CREATE UNIQUE INDEX "RankingEntry_rankingId_entityId_key" ON "RankingEntry"("rankingId", "entityId");

-- CreateIndex
CREATE UNIQUE INDEX "PolicyFigure_key_key" ON "PolicyFigure"("key");

-- CreateIndex
CREATE INDEX "PolicyFigure_policyId_idx" ON "PolicyFigure"("policyId");

-- CreateIndex
CREATE INDEX "Mention_sourceId_idx" ON "Mention"("sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "Mention_entityId_sourceId_quote_key" ON "Mention"("entityId", "sourceId", "quote");

-- AddForeignKey
ALTER TABLE "Alias" ADD CONSTRAINT "Alias_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyDetail" ADD CONSTRAINT "PolicyDetail_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_typeKey_fkey" FOREIGN KEY ("typeKey") REFERENCES "RelationType"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Relationship" ADD CONSTRAINT "Relationship_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Observation" ADD CONSTRAINT "Observation_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ranking" ADD CONSTRAINT "Ranking_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ranking" ADD CONSTRAINT "Ranking_scopeId_fkey" FOREIGN KEY ("scopeId") REFERENCES "Entity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Ranking" ADD CONSTRAINT "Ranking_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_rankingId_fkey" FOREIGN KEY ("rankingId") REFERENCES "Ranking"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RankingEntry" ADD CONSTRAINT "RankingEntry_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyFigure" ADD CONSTRAINT "PolicyFigure_policyId_fkey" FOREIGN KEY ("policyId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PolicyFigure" ADD CONSTRAINT "PolicyFigure_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

