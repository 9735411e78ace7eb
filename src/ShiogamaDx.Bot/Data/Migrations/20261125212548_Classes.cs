using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShiogamaDx.Bot.Data.Migrations
{
    /// <inheritdoc />
    public partial class Classes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ClassSurveyAnswers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClassId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    FiscalYear = table.Column<int>(type: "INTEGER", nullable: false),
                    RegistrationId = table.Column<long>(type: "INTEGER", nullable: true),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Comprehension = table.Column<int>(type: "INTEGER", nullable: false),
                    ComprehensionLabel = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Satisfaction = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Difficulty = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    AnswersJson = table.Column<string>(type: "TEXT", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClassSurveyAnswers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SmartphoneClasses",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    StartsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndsAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Venue = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    SeatsTaken = table.Column<int>(type: "INTEGER", nullable: false),
                    WhatToBring = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Partner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SmartphoneClasses", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ClassRegistrations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClassId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UserKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Companions = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PromotedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CancelledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EraseAfterClass = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClassRegistrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ClassRegistrations_SmartphoneClasses_ClassId",
                        column: x => x.ClassId,
                        principalTable: "SmartphoneClasses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ClassRegistrations_ClassId_UserKey",
                table: "ClassRegistrations",
                columns: new[] { "ClassId", "UserKey" },
                unique: true,
                filter: "\"Status\" <> 'Cancelled'");

            migrationBuilder.CreateIndex(
                name: "IX_ClassRegistrations_UserKey_Status",
                table: "ClassRegistrations",
                columns: new[] { "UserKey", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ClassSurveyAnswers_ClassId",
                table: "ClassSurveyAnswers",
                column: "ClassId");

            migrationBuilder.CreateIndex(
                name: "IX_ClassSurveyAnswers_FiscalYear",
                table: "ClassSurveyAnswers",
                column: "FiscalYear");

            migrationBuilder.CreateIndex(
                name: "IX_ClassSurveyAnswers_RegistrationId",
                table: "ClassSurveyAnswers",
                column: "RegistrationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SmartphoneClasses_StartsAt",
                table: "SmartphoneClasses",
                column: "StartsAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ClassRegistrations");

            migrationBuilder.DropTable(
                name: "ClassSurveyAnswers");

            migrationBuilder.DropTable(
                name: "SmartphoneClasses");
        }
    }
}
