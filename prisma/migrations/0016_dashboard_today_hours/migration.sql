-- Today's closed hours of the dashboard rollups (issue #23; docs/decisions/010-dashboard-queries.md,
-- amendment of 7 Dec 2026, today's closed hours). The tables are schema.prisma's (npm run db:migration).
-- CreateTable
CREATE TABLE "dashboard_hour" (
    "shop" TEXT NOT NULL,
    "starts" TIMESTAMPTZ(3) NOT NULL,
    "ends" TIMESTAMPTZ(3) NOT NULL,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dashboard_hour_pkey" PRIMARY KEY ("shop","starts")
);

-- CreateTable
CREATE TABLE "dashboard_text_hour" (
    "shop" TEXT NOT NULL,
    "starts" TIMESTAMPTZ(3) NOT NULL,
    "flow" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "texts" INTEGER NOT NULL,
    "sent" INTEGER NOT NULL,
    "delivered" INTEGER NOT NULL,
    "clicked" INTEGER NOT NULL,
    "converted" INTEGER NOT NULL,
    "recovered" DECIMAL(14,2) NOT NULL,
    "segments" INTEGER NOT NULL,

    CONSTRAINT "dashboard_text_hour_pkey" PRIMARY KEY ("shop","starts","flow","stage")
);

-- CreateTable
CREATE TABLE "dashboard_lift_hour" (
    "shop" TEXT NOT NULL,
    "starts" TIMESTAMPTZ(3) NOT NULL,
    "flow" TEXT NOT NULL,
    "treated" INTEGER NOT NULL,
    "treated_converted" INTEGER NOT NULL,
    "control" INTEGER NOT NULL,
    "control_converted" INTEGER NOT NULL,
    "treated_revenue" DECIMAL(14,2),

    CONSTRAINT "dashboard_lift_hour_pkey" PRIMARY KEY ("shop","starts","flow")
);

-- CreateTable
CREATE TABLE "dashboard_revenue_hour" (
    "shop" TEXT NOT NULL,
    "starts" TIMESTAMPTZ(3) NOT NULL,
    "recovered" DECIMAL(14,2) NOT NULL,
    "other" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "dashboard_revenue_hour_pkey" PRIMARY KEY ("shop","starts")
);

-- CreateTable
CREATE TABLE "dashboard_nps_hour" (
    "shop" TEXT NOT NULL,
    "starts" TIMESTAMPTZ(3) NOT NULL,
    "responses" INTEGER NOT NULL,
    "promoters" INTEGER NOT NULL,
    "detractors" INTEGER NOT NULL,

    CONSTRAINT "dashboard_nps_hour_pkey" PRIMARY KEY ("shop","starts")
);

