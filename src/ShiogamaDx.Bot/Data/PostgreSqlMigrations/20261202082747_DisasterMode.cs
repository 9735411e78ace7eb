using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class DisasterMode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DisasterNoticeReceipts",
                columns: table => new
                {
                    UserKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PeriodId = table.Column<long>(type: "bigint", nullable: false),
                    NoticeVersion = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisasterNoticeReceipts", x => x.UserKey);
                });

            migrationBuilder.CreateTable(
                name: "DisasterPeriods",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StartedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    StartedVia = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    EndedVia = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Open = table.Column<int>(type: "integer", nullable: true),
                    DisasterMenuShown = table.Column<bool>(type: "boolean", nullable: false),
                    MenuRetry = table.Column<bool>(type: "boolean", nullable: false),
                    PreviousMenu = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MenuProblem = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisasterPeriods", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisasterPeriods_Open",
                table: "DisasterPeriods",
                column: "Open",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisasterNoticeReceipts");

            migrationBuilder.DropTable(
                name: "DisasterPeriods");
        }
    }
}
