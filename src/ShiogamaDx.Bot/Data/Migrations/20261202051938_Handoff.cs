using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
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
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReplacesKey",
                table: "Outbox",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SentId",
                table: "Outbox",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Handoffs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PostedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OutOfHours = table.Column<bool>(type: "INTEGER", nullable: false),
                    ClaimDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TimedOutAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClaimedByName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FocusAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConversationName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Postings = table.Column<int>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    RatingPending = table.Column<bool>(type: "INTEGER", nullable: false),
                    Rating = table.Column<int>(type: "INTEGER", nullable: true),
                    ResidentMessages = table.Column<int>(type: "INTEGER", nullable: false),
                    StaffMessages = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Handoffs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HandoffStreaks",
                columns: table => new
                {
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HandoffStreaks", x => x.UserKey);
                });

            migrationBuilder.CreateTable(
                name: "HandoffMessages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HandoffId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
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
