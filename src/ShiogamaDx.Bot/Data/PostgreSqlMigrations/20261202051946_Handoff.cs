using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShiogamaDx.Bot.Data.PostgreSqlMigrations
{
    /// <inheritdoc />
    public partial class Handoff : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Address",
                table: "Outbox",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplacesKey",
                table: "Outbox",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SentId",
                table: "Outbox",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Handoffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Question = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PostedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    OutOfHours = table.Column<bool>(type: "boolean", nullable: false),
                    ClaimDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    TimedOutAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClaimedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ClaimedByName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ClaimedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    FocusAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ConversationName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Postings = table.Column<int>(type: "integer", nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ClosedBy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    RatingPending = table.Column<bool>(type: "boolean", nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: true),
                    ResidentMessages = table.Column<int>(type: "integer", nullable: false),
                    StaffMessages = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Handoffs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HandoffStreaks",
                columns: table => new
                {
                    UserKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandoffStreaks", x => x.UserKey);
                });

            migrationBuilder.CreateTable(
                name: "HandoffMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HandoffId = table.Column<long>(type: "bigint", nullable: false),
                    From = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandoffMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HandoffMessages_Handoffs_HandoffId",
                        column: x => x.HandoffId,
                        principalTable: "Handoffs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HandoffMessages_HandoffId",
                table: "HandoffMessages",
                column: "HandoffId");

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_ClaimedBy_Status",
                table: "Handoffs",
                columns: new[] { "ClaimedBy", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_CreatedAt",
                table: "Handoffs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_Status_ClaimDueAt",
                table: "Handoffs",
                columns: new[] { "Status", "ClaimDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Handoffs_UserKey_Status",
                table: "Handoffs",
                columns: new[] { "UserKey", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HandoffMessages");

            migrationBuilder.DropTable(
                name: "HandoffStreaks");

            migrationBuilder.DropTable(
                name: "Handoffs");

            migrationBuilder.DropColumn(
                name: "Address",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "ReplacesKey",
                table: "Outbox");

            migrationBuilder.DropColumn(
                name: "SentId",
                table: "Outbox");
        }
    }
}
